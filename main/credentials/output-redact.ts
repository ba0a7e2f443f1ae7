/**
 * Redacts known secrets from a byte stream (a command's terminal output) whose reads may cut a
 * secret in two. Bytes that could be the start of a secret are held back until the next chunk
 * shows whether they are, or until `flush`.
 */
export interface OutputRedactor {
  /** The chunk with every known secret replaced, minus a tail held back (maybe empty). */
  push(chunk: Buffer): Buffer;
  /**
   * Release what is held back, redacted: when the stream ends, or has been quiet long enough that
   * the rest of a secret is not coming. The stream may go on afterwards.
   */
  flush(): Buffer;
  /** True when bytes are held back. */
  readonly holding: boolean;
}

/*
 * Matching is on bytes (latin1 maps each byte to one char), so a secret's UTF-8 form is found
 * wherever the stream splits, without decoding the stream here.
 */
function toBytes(secret: string): string {
  return Buffer.from(secret, 'utf8').toString('latin1');
}

/** The length of the longest tail of `text` that is a proper prefix of one of `secrets`. */
function partialTail(text: string, secrets: readonly string[]): number {
  let hold = 0;
  for (const secret of secrets) {
    for (let k = Math.min(secret.length - 1, text.length); k > hold; k--) {
      if (text.endsWith(secret.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return hold;
}

/**
 * A stream redactor over `secrets()` (longest first), read on every chunk so a secret learnt
 * mid-run counts too; each is replaced with `replacement`.
 */
export function createOutputRedactor(
  secrets: () => readonly string[],
  replacement: string,
): OutputRedactor {
  let held = '';
  // The list is replaced (not edited) when a secret is added, so its identity says when to re-map.
  let source: readonly string[] | null = null;
  let mapped: readonly string[] = [];
  const current = (): readonly string[] => {
    const list = secrets();
    if (list !== source) {
      source = list;
      mapped = list.map(toBytes);
    }
    return mapped;
  };
  const replaceAll = (text: string, list: readonly string[]): string => {
    let out = text;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(replacement);
    return out;
  };
  return {
    push(chunk) {
      const list = current();
      if (list.length === 0 && held === '') return chunk;
      const text = replaceAll(held + chunk.toString('latin1'), list);
      const hold = partialTail(text, list);
      held = text.slice(text.length - hold);
      return Buffer.from(text.slice(0, text.length - hold), 'latin1');
    },
    flush() {
      const text = replaceAll(held, current());
      held = '';
      return Buffer.from(text, 'latin1');
    },
    get holding() {
      return held !== '';
    },
  };
}
