/*
 * ESC sequences a terminal interprets: CSI (colours, cursor moves), OSC (titles, hyperlinks; ends
 * with BEL or ESC \), DCS/SOS/PM/APC strings, and two-byte escapes. C1 single-byte CSI too.
 */
const ANSI_PATTERN = new RegExp(
  [
    '\\u001b\\[[0-?]*[ -/]*[@-~]',
    '\\u009b[0-?]*[ -/]*[@-~]',
    '\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)',
    '\\u001b[PX^_][^\\u001b]*\\u001b\\\\',
    '\\u001b[ -/]*[0-~]',
  ].join('|'),
  'g',
);

/** Remove terminal escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * Terminal output as the agent should read it: no escapes, CRLF as LF, and a line redrawn with
 * carriage returns (progress bars) reduced to what it finally showed.
 */
export function terminalToText(text: string): string {
  return (
    stripAnsi(text)
      .replace(/\r+\n/g, '\n')
      .split('\n')
      .map((line) => {
        const parts = line.split('\r');
        return parts.findLast((p) => p.length > 0) ?? '';
      })
      .join('\n')
      // Other control bytes (bells, backspaces, a stray ESC) mean nothing to a reader.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
  );
}
