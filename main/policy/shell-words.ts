import type { SyntaxReader } from './syntax-cursor';

/** One shell word as the shell would see it after quote removal. */
export interface ShellWord {
  /** Source text, quotes and all. */
  readonly text: string;
  /** The word after quote and escape removal; expansions are kept as their source text. */
  readonly value: string;
  /** True when the word contains an expansion, substitution or brace expansion. */
  readonly dynamic: boolean;
  /** True when an unquoted glob character (`*`, `?`, `[`) is present. */
  readonly glob: boolean;
}

/** Remove backslash escapes as the shell does outside quotes. */
export function unescapeBare(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
}

/** Inside double quotes a backslash escapes only $ ` " \ and newline. */
function unescapeDouble(text: string): string {
  return text.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
}

const ANSI_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decode a `$'...'` string. */
function decodeAnsiC(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs,
    (_m, esc: string) => {
      const head = esc[0] ?? '';
      if (head === 'x' || head === 'u' || head === 'U') {
        const code = Number.parseInt(esc.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      if (/[0-7]/.test(head)) return String.fromCharCode(Number.parseInt(esc, 8) & 0xff);
      if (head === 'c') return String.fromCharCode((esc.charCodeAt(1) ?? 0) & 0x1f);
      return ANSI_ESCAPES[esc] ?? `\\${esc}`;
    },
  );
}

export function hasUnquotedGlob(text: string): boolean {
  return /(^|[^\\])[*?[]/.test(text);
}

const BRACE_EXPANSION = /\{[^{}]*(,|\.\.)[^{}]*\}/;

/** A plain `word` token as the shell sees it (also used by the parser-free fast path). */
export function bareWord(text: string): ShellWord {
  return {
    text,
    value: unescapeBare(text),
    dynamic: BRACE_EXPANSION.test(text),
    glob: hasUnquotedGlob(text),
  };
}

/** The ShellWord of the word-like node under the cursor; the cursor ends where it started. */
export function wordAt(r: SyntaxReader): ShellWord {
  const type = r.type;
  const text = r.text;
  switch (type) {
    case 'word':
      return bareWord(text);
    case 'command_name': {
      if (r.firstNamedChild()) {
        const inner = wordAt(r);
        r.parent();
        return inner;
      }
      return bareWord(text);
    }
    case 'number':
    case 'variable_name':
    case 'file_descriptor':
      return { text, value: text, dynamic: false, glob: false };
    case 'raw_string':
      return { text, value: text.slice(1, -1), dynamic: false, glob: false };
    case 'ansi_c_string':
      return { text, value: decodeAnsiC(text.slice(2, -1)), dynamic: false, glob: false };
    case 'string':
    case 'translated_string':
      return stringWord(r, type, text);
    case 'variable_assignment': {
      const { name, value } = assignmentAt(r);
      return {
        text,
        value: `${name}=${value?.value ?? ''}`,
        dynamic: value?.dynamic ?? false,
        glob: false,
      };
    }
    case 'concatenation': {
      let value = '';
      let dynamic = false;
      let glob = false;
      if (r.firstNamedChild()) {
        do {
          const part = wordAt(r);
          value += part.value;
          dynamic ||= part.dynamic;
          glob ||= part.glob;
        } while (r.nextNamedSibling());
        r.parent();
      }
      // `{a,b}` is split into words by the grammar; the joined text shows the brace expansion.
      if (BRACE_EXPANSION.test(text) && !/^["']/.test(text)) dynamic = true;
      return { text, value, dynamic, glob };
    }
    default:
      return { text, value: text, dynamic: true, glob: false };
  }
}

/** `name=value` under the cursor: the first `name` and `value` fields, as childForFieldName. */
export function assignmentAt(r: SyntaxReader): { name: string; value: ShellWord | null } {
  let name: string | null = null;
  let value: ShellWord | null = null;
  const { fieldName, fieldValue } = r.tables;
  if (r.firstChild()) {
    do {
      const field = r.fieldId;
      if (field === fieldName && name === null) name = r.text;
      else if (field === fieldValue && value === null) value = wordAt(r);
    } while (r.nextSibling());
    r.parent();
  }
  return { name: name ?? '', value };
}

function stringWord(r: SyntaxReader, type: string, text: string): ShellWord {
  // `$"..."` wraps a string: read the inner string's parts.
  const inner = type === 'translated_string' && r.firstNamedChild();
  const parts: { type: string; named: boolean; text: string }[] = [];
  if (r.firstChild()) {
    do parts.push({ type: r.type, named: r.isNamed, text: r.text });
    while (r.nextSibling());
    r.parent();
  }
  if (inner) r.parent();
  let value = '';
  let dynamic = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as (typeof parts)[number];
    if ((i === 0 || i === parts.length - 1) && part.type === '"') continue;
    if (part.type === 'string_content') value += unescapeDouble(part.text);
    else if (!part.named) value += part.text;
    else {
      value += part.text;
      dynamic = true;
    }
  }
  return { text, value, dynamic, glob: false };
}

/** True when the node under the cursor has a child that expands (heredoc bodies). */
export function hasExpansion(r: SyntaxReader): boolean {
  let found = false;
  if (r.firstNamedChild()) {
    do found ||= r.type !== 'heredoc_content';
    while (r.nextNamedSibling());
    r.parent();
  }
  return found;
}

/** The text a heredoc feeds its command: lines as written (`<<-` strips leading tabs). */
export function heredocBody(
  source: string,
  op: string,
  h: { start: string; bodyAt: number; endAt: number; expands: boolean },
): ShellWord {
  // The grammar's body node can start after `<<-`'s leading tabs: take whole lines.
  const from = h.bodyAt < 0 ? -1 : source.lastIndexOf('\n', h.bodyAt - 1) + 1;
  let value = from < 0 || h.endAt < from ? '' : source.slice(from, h.endAt);
  if (op === '<<-') value = value.replace(/^\t+/gm, '');
  const quoted = /['"\\]/.test(h.start);
  if (!quoted) value = value.replace(/\\\n/g, '').replace(/\\([$`\\])/g, '$1');
  return { text: value, value, dynamic: !quoted && h.expands, glob: false };
}

/** Two words the grammar split at a line continuation, joined as bash reads them. */
export function joinWords(a: ShellWord, gap: string, b: ShellWord): ShellWord {
  return {
    text: a.text + gap + b.text,
    value: a.value + b.value,
    dynamic: a.dynamic || b.dynamic,
    glob: a.glob || b.glob,
  };
}
