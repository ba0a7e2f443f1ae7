/*
 * The part of Starlark a Codex `.rules` file uses: top-level calls `name(key = value, ...)` whose
 * values are strings, lists, True/False/None and whole numbers. Read token by token, never
 * evaluated; any other statement is reported (with its line) and skipped.
 */

export type StarValue = string | number | boolean | null | readonly StarValue[];

export interface StarCall {
  readonly name: string;
  readonly line: number;
  /** The call as written. */
  readonly text: string;
  readonly args: readonly { readonly name: string | null; readonly value: StarValue }[];
}

export interface StarProblem {
  readonly line: number;
  readonly text: string;
  readonly why: string;
}

export interface StarFile {
  readonly calls: readonly StarCall[];
  readonly problems: readonly StarProblem[];
}

type TokenKind = 'name' | 'string' | 'number' | 'punct' | 'other';

interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** The first token on its line (a statement starts on a new line). */
  readonly first: boolean;
}

class StarError extends Error {}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '\n': '',
};

function tokenize(text: string): { tokens: Token[]; error: StarProblem | null } {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let first = true;
  const push = (kind: TokenKind, value: string, start: number) => {
    tokens.push({ kind, value, start, end: i, line: lineAt(start), first });
    first = false;
  };
  const lineAt = (pos: number) => line - (text.slice(pos, i).match(/\n/g)?.length ?? 0);
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '\n') {
      line++;
      i++;
      first = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') i++;
    else if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i] ?? '')) i++;
      const word = text.slice(start, i);
      if ((word === 'r' || word === 'R') && (text[i] === '"' || text[i] === "'")) {
        const s = readString(text, i, true);
        if ('error' in s)
          return { tokens, error: { line, text: text.slice(start, start + 80), why: s.error } };
        line += (text.slice(i, s.end).match(/\n/g) ?? []).length;
        i = s.end;
        push('string', s.value, start);
      } else push('name', word, start);
    } else if (ch === '"' || ch === "'") {
      const start = i;
      const s = readString(text, i, false);
      if ('error' in s)
        return { tokens, error: { line, text: text.slice(start, start + 80), why: s.error } };
      line += (text.slice(i, s.end).match(/\n/g) ?? []).length;
      i = s.end;
      push('string', s.value, start);
    } else if (/[0-9]/.test(ch)) {
      const start = i;
      while (i < text.length && /[0-9]/.test(text[i] ?? '')) i++;
      push('number', text.slice(start, i), start);
    } else {
      const start = i++;
      push('()[],='.includes(ch) ? 'punct' : 'other', ch, start);
    }
  }
  return { tokens, error: null };
}

function readString(
  text: string,
  at: number,
  raw: boolean,
): { value: string; end: number } | { error: string } {
  const q = text[at] ?? '';
  const triple = text.startsWith(q.repeat(3), at);
  const close = triple ? q.repeat(3) : q;
  let i = at + close.length;
  let value = '';
  while (i < text.length) {
    if (text.startsWith(close, i)) return { value, end: i + close.length };
    const ch = text[i] ?? '';
    if (ch === '\n' && !triple) return { error: 'a string is not closed on its line' };
    if (ch === '\\' && !raw) {
      const next = text[i + 1] ?? '';
      const mapped = ESCAPES[next];
      if (mapped !== undefined) {
        value += mapped;
        i += 2;
        continue;
      }
      const hex = /^x([0-9a-fA-F]{2})|^u([0-9a-fA-F]{4})/.exec(text.slice(i + 1, i + 6));
      if (hex) {
        value += String.fromCharCode(parseInt(hex[1] ?? hex[2] ?? '0', 16));
        i += 1 + (hex[0]?.length ?? 0);
        continue;
      }
      return { error: `an escape \\${next} this reader does not know` };
    }
    if (ch === '\\' && raw && text[i + 1] === q) {
      value += `\\${q}`;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return { error: 'a string is not closed' };
}

class Parser {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    /** Why the tokens stop early: the end of the file, or a string the tokenizer could not read. */
    private readonly endWhy: string,
  ) {}

  /** The next token's text for a message; at the end, the reason the tokens end. */
  private found(expected: string): never {
    const t = this.peek();
    if (!t) throw new StarError(this.endWhy);
    throw new StarError(`expected ${expected} but found \`${t.value}\``);
  }

  get done(): boolean {
    return this.at >= this.tokens.length;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  private take(kind?: TokenKind, value?: string): Token {
    const t = this.tokens[this.at];
    if (!t) throw new StarError(this.endWhy);
    if ((kind && t.kind !== kind) || (value !== undefined && t.value !== value))
      this.found(value ?? kind ?? 'more');
    this.at++;
    return t;
  }

  /** One statement: a call is returned, anything else is a problem (and skipped). */
  statement(): StarCall | StarProblem {
    const start = this.at;
    const head = this.peek();
    try {
      if (head?.kind === 'name' && this.peek(1)?.value === '(') return this.call();
      throw new StarError('only calls such as prefix_rule(...) are read');
    } catch (error) {
      if (!(error instanceof StarError)) throw error;
      this.at = start;
      const first = this.tokens[start];
      this.skipStatement();
      const last = this.tokens[this.at - 1];
      return {
        line: first?.line ?? 0,
        text: this.text.slice(first?.start ?? 0, last?.end ?? 0),
        why: error.message,
      };
    }
  }

  private call(): StarCall {
    const name = this.take('name');
    this.take('punct', '(');
    const args: { name: string | null; value: StarValue }[] = [];
    while (this.peek()?.value !== ')') {
      if (!this.peek()) this.found(')');
      const keyword = this.peek()?.kind === 'name' && this.peek(1)?.value === '=';
      let argName: string | null = null;
      if (keyword) {
        argName = this.take('name').value;
        this.take('punct', '=');
      }
      args.push({ name: argName, value: this.value() });
      if (this.peek()?.value === ',') this.take();
      else if (this.peek()?.value !== ')') this.found(', or )');
    }
    const close = this.take('punct', ')');
    const next = this.peek();
    if (next && !next.first) throw new StarError('more after the call on the same line');
    return {
      name: name.value,
      line: name.line,
      text: this.text.slice(name.start, close.end),
      args,
    };
  }

  private value(): StarValue {
    const t = this.take();
    if (t.kind === 'string') {
      if (this.peek()?.kind === 'string')
        throw new StarError('two strings side by side are not joined in Starlark');
      return t.value;
    }
    if (t.kind === 'number') return Number(t.value);
    if (t.kind === 'name' && t.value === 'True') return true;
    if (t.kind === 'name' && t.value === 'False') return false;
    if (t.kind === 'name' && t.value === 'None') return null;
    if (t.value === '[') {
      const items: StarValue[] = [];
      while (this.peek()?.value !== ']') {
        if (!this.peek()) this.found(']');
        items.push(this.value());
        if (this.peek()?.value === ',') this.take();
        else if (this.peek()?.value !== ']') this.found(', or ]');
      }
      this.take('punct', ']');
      return items;
    }
    throw new StarError(
      `\`${t.value}\` is not a value this reader takes (strings, lists, True, False, None, numbers)`,
    );
  }

  /** Skip to the next statement: past balanced brackets, to a token that starts a line. */
  private skipStatement(): void {
    let depth = 0;
    do {
      const t = this.tokens[this.at++];
      if (!t) return;
      if (t.value === '(' || t.value === '[') depth++;
      if ((t.value === ')' || t.value === ']') && depth > 0) depth--;
    } while (this.at < this.tokens.length && (depth > 0 || !this.tokens[this.at]?.first));
  }
}

/** Read the calls of a `.rules` file; what is not a call (or is written otherwise) is a problem. */
export function parseStarlarkCalls(text: string): StarFile {
  const { tokens, error } = tokenize(text);
  const parser = new Parser(
    text,
    tokens,
    error ? `${error.why} (line ${error.line})` : 'the file ends in the middle of a statement',
  );
  const calls: StarCall[] = [];
  const problems: StarProblem[] = [];
  while (!parser.done) {
    const s = parser.statement();
    if ('args' in s) calls.push(s);
    else problems.push(s);
  }
  // A string the tokenizer stopped at is said by the statement it is in, or on its own.
  if (error && !problems.some((p) => p.why.startsWith(error.why))) problems.push(error);
  return { calls, problems };
}
