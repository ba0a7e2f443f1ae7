/** What a session is called until its first message names it (never written to disk). */
export const DRAFT_TITLE = 'New session';

/** The longest title derived from a message; longer first lines are cut at a word. */
export const DERIVED_TITLE_MAX = 60;

/**
 * A session title from its first message: secrets redacted first (so a cut never leaves half a
 * key), the first line with words in it, Markdown markers and runs of spaces dropped, cut at a
 * word near `DERIVED_TITLE_MAX` characters. No ellipsis is added: the list shows a long title cut
 * by its width, and an export's heading stays plain text.
 */
export function titleFromPrompt(prompt: string, redact: (text: string) => string): string {
  const line =
    redact(prompt)
      .split(/\r?\n/)
      .map((l) =>
        l
          .replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)/, '')
          .replace(/`{3,}\w*/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .find((l) => /[\p{L}\p{N}]/u.test(l)) ?? '';
  if (line.length <= DERIVED_TITLE_MAX) return line || DRAFT_TITLE;
  const cut = line.slice(0, DERIVED_TITLE_MAX + 1);
  const space = cut.lastIndexOf(' ');
  const words = space > DERIVED_TITLE_MAX / 2 ? cut.slice(0, space) : cut.slice(0, -1);
  // A title does not end in a dangling comma or colon.
  return words.replace(/[\s,;:–—-]+$/u, '');
}
