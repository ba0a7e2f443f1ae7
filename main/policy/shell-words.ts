import type { Node } from 'web-tree-sitter';

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

const DYNAMIC_TYPES = new Set([
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
]);

/** Remove backslash escapes as the shell does outside quotes. */
function unescapeBare(text: string): string {
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

function hasUnquotedGlob(text: string): boolean {
  return /(^|[^\\])[*?[]/.test(text);
}

/** Turn a word-like syntax node into a ShellWord. */
export function wordOf(node: Node): ShellWord {
  const text = node.text;
  switch (node.type) {
    case 'word':
    case 'command_name': {
      if (node.type === 'command_name') {
        const inner = node.firstNamedChild;
        if (inner) return wordOf(inner);
      }
      const brace = /\{[^{}]*(,|\.\.)[^{}]*\}/.test(text);
      return { text, value: unescapeBare(text), dynamic: brace, glob: hasUnquotedGlob(text) };
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
      return stringWord(node);
    case 'variable_assignment': {
      const valueNode = node.childForFieldName('value');
      const inner = valueNode ? wordOf(valueNode) : null;
      const name = node.childForFieldName('name')?.text ?? '';
      return {
        text,
        value: `${name}=${inner?.value ?? ''}`,
        dynamic: inner?.dynamic ?? false,
        glob: false,
      };
    }
    case 'concatenation': {
      let value = '';
      let dynamic = false;
      let glob = false;
      for (const child of node.namedChildren) {
        if (!child) continue;
        const part = wordOf(child);
        value += part.value;
        dynamic ||= part.dynamic;
        glob ||= part.glob;
      }
      // `{a,b}` is split into words by the grammar; the joined text shows the brace expansion.
      if (/\{[^{}]*(,|\.\.)[^{}]*\}/.test(text) && !/^["']/.test(text)) dynamic = true;
      return { text, value, dynamic, glob };
    }
    default:
      return { text, value: text, dynamic: true, glob: false };
  }
}

function stringWord(node: Node): ShellWord {
  const target = node.type === 'translated_string' ? (node.namedChild(0) ?? node) : node;
  let value = '';
  let dynamic = false;
  const children = target.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (!child) continue;
    if ((i === 0 || i === children.length - 1) && child.type === '"') continue;
    if (child.type === 'string_content') value += unescapeDouble(child.text);
    else if (!child.isNamed) value += child.text;
    else if (DYNAMIC_TYPES.has(child.type)) {
      value += child.text;
      dynamic = true;
    } else {
      value += child.text;
      dynamic = true;
    }
  }
  return { text: node.text, value, dynamic, glob: false };
}
