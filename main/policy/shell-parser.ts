import { createRequire } from 'node:module';
import type { Language, Node, Parser, Tree } from 'web-tree-sitter';
import { parseSimpleCommand } from './shell-fast-path';
import {
  assignmentAt,
  bareWord,
  hasExpansion,
  heredocBody,
  joinWords,
  wordAt,
  type ShellWord,
} from './shell-words';
import { SyntaxReader, syntaxTables, type SyntaxTables } from './syntax-cursor';

/** A redirection such as `> out`, `2>&1`, `<<EOF` or `&> log`. */
export interface ShellRedirect {
  readonly op: string;
  readonly fd: string | null;
  /** The file or fd it points at; null for heredocs. */
  readonly target: ShellWord | null;
  /** A heredoc's body as the command reads it (dynamic when it expands something). */
  readonly body?: ShellWord;
  readonly text: string;
}

/** One simple command: `A=1 cmd arg >out`. Declarations (`export X=1`) are commands too. */
export interface SimpleCommand {
  readonly text: string;
  readonly assignments: readonly { readonly name: string; readonly value: ShellWord }[];
  readonly words: readonly ShellWord[];
  readonly redirects: readonly ShellRedirect[];
}

export type HazardKind = 'parse_error' | 'function_definition' | 'redirect_group';

/** Something in the script that is not a simple command but matters to the policy. */
export interface Hazard {
  readonly kind: HazardKind;
  readonly text: string;
  readonly redirects?: readonly ShellRedirect[];
}

export interface ParsedScript {
  readonly commands: readonly SimpleCommand[];
  readonly hazards: readonly Hazard[];
}

/** A bash parser ready to use synchronously (loading the grammar is the only async step). */
export interface ShellParser {
  parse(script: string): ParsedScript;
}

/** Options for {@link createShellParser}. */
export interface ShellParserOptions {
  /** Decide plain `word word ...` lines without tree-sitter (same result, see shell-fast-path). */
  readonly fastPath?: boolean;
}

/** The grammar, loaded once per process, and what parsing with it needs. */
interface Grammar {
  readonly language: Language;
  readonly tables: SyntaxTables;
  readonly Parser: typeof Parser;
}

let grammarPromise: Promise<Grammar> | undefined;

async function loadGrammar(): Promise<Grammar> {
  const require = createRequire(import.meta.url);
  // Imported here, not at the top: a process that never parses past the fast path never loads it.
  const { Language, Parser } = await import('web-tree-sitter');
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
  return { language, tables: syntaxTables(language), Parser };
}

function grammar(): Promise<Grammar> {
  grammarPromise ??= loadGrammar();
  return grammarPromise;
}

/** parse() over a loaded grammar (null: not loaded yet), the fast path first. */
function parserOver(
  options: ShellParserOptions,
  loaded: () => Grammar | null,
): (script: string) => ParsedScript {
  const fastPath = options.fastPath ?? true;
  let parser: Parser | null = null;
  return (script) => {
    if (fastPath) {
      const simple = parseSimpleCommand(script);
      if (simple) return simple;
    }
    const g = loaded();
    // Never a guess: a caller that decides before the grammar is there gets an error, not a parse.
    if (!g) throw new Error('the shell grammar is not loaded yet (await ready() first)');
    if (!parser) {
      parser = new g.Parser();
      parser.setLanguage(g.language);
    }
    const tree = parser.parse(script);
    if (!tree) return { commands: [], hazards: [{ kind: 'parse_error', text: script }] };
    try {
      return walk(tree, script, g.tables);
    } finally {
      tree.delete();
    }
  };
}

/** Load tree-sitter-bash (once per process) and return a synchronous parser. */
export async function createShellParser(options: ShellParserOptions = {}): Promise<ShellParser> {
  const g = await grammar();
  return { parse: parserOver(options, () => g) };
}

/** A parser whose grammar loads when first needed, not when it is made. */
export interface LazyShellParser extends ShellParser {
  /**
   * Resolves once parse() takes any script (loading the grammar the first time). Until then
   * parse() answers only what the fast path decides and throws for anything else.
   */
  ready(): Promise<void>;
}

/**
 * A shell parser for a process that may never need tree-sitter (issue 18): `exec` sends its
 * first model request without loading the grammar; the first command decided waits for ready().
 */
export function createLazyShellParser(options: ShellParserOptions = {}): LazyShellParser {
  let loaded: Grammar | null = null;
  return {
    parse: parserOver(options, () => loaded),
    async ready() {
      loaded ??= await grammar();
    },
  };
}

const EMPTY_WORD: ShellWord = { text: '', value: '', dynamic: false, glob: false };

const REDIRECT_TYPES = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);

// A bare assignment whose parent is one of these belongs to that command, not a part of its own.
const ASSIGNMENT_OWNERS = new Set(['command', 'declaration_command', 'variable_assignments']);

/** True when source[start, end) holds `$`, a backquote or `(`: only then can it hold a command. */
function mayNest(source: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x24 || c === 0x60 || c === 0x28) return true;
  }
  return false;
}

function redirectAt(r: SyntaxReader): ShellRedirect {
  const type = r.type;
  const text = r.text;
  let op = '';
  let fd: string | null = null;
  let target: ShellWord | null = null;
  const heredoc = { start: '', bodyAt: -1, endAt: -1, expands: false };
  if (r.firstChild()) {
    do {
      if (!r.isNamed) {
        if (op === '') op = r.type;
      } else if (r.type === 'file_descriptor') {
        fd = r.text;
      } else if (type === 'heredoc_redirect') {
        if (r.type === 'heredoc_start') heredoc.start = r.text;
        else if (r.type === 'heredoc_body') {
          heredoc.bodyAt = r.start;
          heredoc.expands = hasExpansion(r);
        } else if (r.type === 'heredoc_end') heredoc.endAt = r.start;
      } else if (target === null) {
        target = wordAt(r);
      }
    } while (r.nextSibling());
    r.parent();
  }
  if (type !== 'heredoc_redirect') return { op, fd, target, text };
  return { op, fd, target, text, body: heredocBody(r.source, op, heredoc) };
}

/** The simple command under the cursor, and whether a child may hold nested commands. */
function commandAt(
  r: SyntaxReader,
  type: string,
  redirects: readonly ShellRedirect[],
  lost: ShellWord | null,
): { command: SimpleCommand; nested: boolean } {
  const text = r.text;
  const assignments: { name: string; value: ShellWord }[] = [];
  const words: ShellWord[] = [];
  const own: ShellRedirect[] = [...redirects];
  const keyword = type === 'declaration_command' || type === 'unset_command';
  let nested = false;
  let lastWordEnd = -1;
  if (r.firstChild()) {
    let first = true;
    do {
      if (first && keyword) {
        const k = r.text;
        words.push({ text: k, value: k, dynamic: false, glob: false });
      }
      first = false;
      if (!r.isNamed) continue;
      if (!nested) nested = mayNest(r.source, r.start, r.end);
      const child = r.type;
      if (child === 'variable_assignment') {
        if (type === 'declaration_command') words.push(wordAt(r));
        assignments.push(assignmentOf(r));
      } else if (REDIRECT_TYPES.has(child)) {
        own.push(redirectAt(r));
      } else if (child !== 'comment') {
        const word = wordAt(r);
        // The grammar splits `r\<newline>m` in two; bash removes the pair before reading words.
        const prev = words[words.length - 1];
        if (prev && lastWordEnd >= 0 && CONTINUATIONS.test(r.source.slice(lastWordEnd, r.start)))
          words[words.length - 1] = joinWords(prev, r.source.slice(lastWordEnd, r.start), word);
        else words.push(word);
        lastWordEnd = r.end;
      }
    } while (r.nextSibling());
    r.parent();
  }
  if (lost) words.push(lost);
  return { command: { text, assignments, words, redirects: own }, nested };
}

const CONTINUATIONS = /^(?:\\\n)+$/;

function assignmentCommand(r: SyntaxReader, type: string): SimpleCommand {
  const text = r.text;
  const assignments: { name: string; value: ShellWord }[] = [];
  if (type === 'variable_assignment') {
    assignments.push(assignmentOf(r));
  } else if (r.firstNamedChild()) {
    do if (r.type === 'variable_assignment') assignments.push(assignmentOf(r));
    while (r.nextNamedSibling());
    r.parent();
  }
  return { text, assignments, words: [], redirects: [] };
}

function assignmentOf(r: SyntaxReader): { name: string; value: ShellWord } {
  const a = assignmentAt(r);
  return { name: a.name, value: a.value ?? EMPTY_WORD };
}

/** `cmd > out`: the body's node id (when it is a command) and the redirections. */
function redirectedAt(r: SyntaxReader): {
  body: { id: number; type: string } | null;
  redirects: ShellRedirect[];
  lost: ShellWord | null;
} {
  let body: { id: number; type: string } | null = null;
  const redirects: ShellRedirect[] = [];
  let bodyEnd = -1;
  let redirectStart = -1;
  if (r.firstChild()) {
    do {
      if (body === null && r.fieldId === r.tables.fieldBody) {
        body = { id: r.nodeId, type: r.type };
        bodyEnd = r.end;
      }
      if (r.isNamed && REDIRECT_TYPES.has(r.type)) {
        if (redirectStart < 0) redirectStart = r.start;
        redirects.push(redirectAt(r));
      }
    } while (r.nextSibling());
    r.parent();
  }
  // The grammar drops a lone `-` before a heredoc (`bash - <<EOF`); bash passes it on.
  const gap = bodyEnd >= 0 && redirectStart > bodyEnd ? r.source.slice(bodyEnd, redirectStart) : '';
  const lost = /^\s+-\s+$/.test(gap) ? bareWord('-') : null;
  return { body, redirects, lost };
}

/** Whether the walk visits the node under the cursor: named, and inside a command only if it may nest. */
function accepted(r: SyntaxReader, wordsOnly: boolean): boolean {
  return r.isNamed && (!wordsOnly || mayNest(r.source, r.start, r.end));
}

/**
 * Collect every simple command, however deeply nested, in document order. One tree cursor walks
 * the tree without recursion (input is hostile) and without making node objects (speed).
 */
function walk(tree: Tree, source: string, tables: SyntaxTables): ParsedScript {
  const commands: SimpleCommand[] = [];
  const hazards: Hazard[] = [];
  const root = tree.rootNode;
  if (root.hasError) hazards.push({ kind: 'parse_error', text: firstError(root) });
  const cursor = tree.walk();
  try {
    const r = new SyntaxReader(cursor, source, tables);
    const pending = new Map<number, { redirects: ShellRedirect[]; lost: ShellWord | null }>();
    // Per ancestor of the cursor: its type, and whether only children that may nest are walked.
    const parents: string[] = [];
    const wordsOnly: boolean[] = [];
    for (;;) {
      const type = r.type;
      let descend = true;
      let onlyNesting = false;
      switch (type) {
        case 'command':
        case 'declaration_command':
        case 'unset_command': {
          const held = pending.get(r.nodeId);
          const { command, nested } = commandAt(r, type, held?.redirects ?? [], held?.lost ?? null);
          commands.push(command);
          // Inside a command only substitutions can hold more commands: skip plain words.
          descend = nested;
          onlyNesting = true;
          break;
        }
        case 'variable_assignment':
        case 'variable_assignments':
          // A bare assignment outside a command: a part of its own.
          if (!ASSIGNMENT_OWNERS.has(parents[parents.length - 1] ?? ''))
            commands.push(assignmentCommand(r, type));
          break;
        case 'redirected_statement': {
          const { body, redirects, lost } = redirectedAt(r);
          if (body && (body.type === 'command' || body.type === 'declaration_command')) {
            pending.set(body.id, { redirects, lost });
          } else {
            hazards.push({ kind: 'redirect_group', text: r.text, redirects });
          }
          break;
        }
        case 'function_definition':
          hazards.push({ kind: 'function_definition', text: r.text });
          break;
        default:
          break;
      }
      // Pre-order: first child, else next sibling, else the nearest ancestor's next sibling.
      let found = false;
      if (descend && r.firstChild()) {
        parents.push(type);
        wordsOnly.push(onlyNesting);
        found = accepted(r, onlyNesting);
      }
      while (!found) {
        if (r.nextSibling()) {
          found = accepted(r, wordsOnly[wordsOnly.length - 1] ?? false);
          continue;
        }
        if (parents.length === 0) return { commands, hazards };
        r.parent();
        parents.pop();
        wordsOnly.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

function firstError(root: Node): string {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.type === 'ERROR' || node.isMissing) return node.text || root.text;
    for (const child of node.children) if (child?.hasError || child?.isMissing) stack.push(child);
  }
  return root.text;
}
