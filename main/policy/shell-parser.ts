import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { wordOf, type ShellWord } from './shell-words';

/** A redirection such as `> out`, `2>&1`, `<<EOF` or `&> log`. */
export interface ShellRedirect {
  readonly op: string;
  readonly fd: string | null;
  /** The file or fd it points at; null for heredocs. */
  readonly target: ShellWord | null;
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

let languagePromise: Promise<Language> | undefined;

async function loadLanguage(): Promise<Language> {
  const require = createRequire(import.meta.url);
  await Parser.init();
  return Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
}

/** Load tree-sitter-bash (once per process) and return a synchronous parser. */
export async function createShellParser(): Promise<ShellParser> {
  languagePromise ??= loadLanguage();
  const language = await languagePromise;
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(script) {
      const tree = parser.parse(script);
      if (!tree) return { commands: [], hazards: [{ kind: 'parse_error', text: script }] };
      try {
        return walk(tree.rootNode);
      } finally {
        tree.delete();
      }
    },
  };
}

const EMPTY_WORD: ShellWord = { text: '', value: '', dynamic: false, glob: false };

const COMMAND_TYPES = new Set(['command', 'declaration_command', 'unset_command']);

const REDIRECT_TYPES = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);

function redirectOf(node: Node): ShellRedirect {
  let op = '';
  let fd: string | null = null;
  let target: ShellWord | null = null;
  for (const child of node.children) {
    if (!child) continue;
    if (!child.isNamed) {
      if (op === '') op = child.type;
    } else if (child.type === 'file_descriptor') {
      fd = child.text;
    } else if (node.type === 'heredoc_redirect') {
      if (child.type === 'heredoc_start') target = null;
    } else if (target === null) {
      target = wordOf(child);
    }
  }
  return { op, fd, target, text: node.text };
}

function commandOf(node: Node, redirects: readonly ShellRedirect[]): SimpleCommand {
  const assignments: { name: string; value: ShellWord }[] = [];
  const words: ShellWord[] = [];
  const own: ShellRedirect[] = [...redirects];
  if (node.type === 'declaration_command' || node.type === 'unset_command') {
    const keyword = node.child(0);
    if (keyword)
      words.push({ text: keyword.text, value: keyword.text, dynamic: false, glob: false });
  }
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment') {
      if (node.type === 'declaration_command') words.push(wordOf(child));
      assignments.push(assignmentOf(child));
    } else if (REDIRECT_TYPES.has(child.type)) {
      own.push(redirectOf(child));
    } else if (child.type !== 'comment') {
      words.push(wordOf(child));
    }
  }
  return { text: node.text, assignments, words, redirects: own };
}

/** Collect every simple command, however deeply nested, without recursion (input is hostile). */
function walk(root: Node): ParsedScript {
  const commands: SimpleCommand[] = [];
  const hazards: Hazard[] = [];
  if (root.hasError) hazards.push({ kind: 'parse_error', text: firstError(root) });
  const pending = new Map<number, ShellRedirect[]>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    switch (node.type) {
      case 'command':
      case 'declaration_command':
      case 'unset_command':
        commands.push(commandOf(node, pending.get(node.id) ?? []));
        break;
      case 'variable_assignment':
      case 'variable_assignments':
        // A bare assignment outside a command: a part of its own.
        if (!ASSIGNMENT_OWNERS.has(node.parent?.type ?? '')) commands.push(assignmentCommand(node));
        break;
      case 'redirected_statement': {
        const body = node.childForFieldName('body');
        const redirects = node.namedChildren
          .filter((c): c is Node => !!c && REDIRECT_TYPES.has(c.type))
          .map(redirectOf);
        if (body && (body.type === 'command' || body.type === 'declaration_command')) {
          pending.set(body.id, redirects);
        } else {
          hazards.push({ kind: 'redirect_group', text: node.text, redirects });
        }
        break;
      }
      case 'function_definition':
        hazards.push({ kind: 'function_definition', text: node.text });
        break;
      default:
        break;
    }
    const children = node.namedChildren;
    // Inside a command only substitutions can hold more commands: skip plain words (speed).
    const wordsOnly = COMMAND_TYPES.has(node.type);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child && (!wordsOnly || /[$`(]/.test(child.text))) stack.push(child);
    }
  }
  return { commands, hazards };
}

const ASSIGNMENT_OWNERS = new Set(['command', 'declaration_command', 'variable_assignments']);

function assignmentOf(node: Node): { name: string; value: ShellWord } {
  const name = node.childForFieldName('name')?.text ?? '';
  const valueNode = node.childForFieldName('value');
  return { name, value: valueNode ? wordOf(valueNode) : EMPTY_WORD };
}

function assignmentCommand(node: Node): SimpleCommand {
  const list = node.type === 'variable_assignment' ? [node] : node.namedChildren;
  const assignments = list
    .filter((c): c is Node => c?.type === 'variable_assignment')
    .map(assignmentOf);
  return { text: node.text, assignments, words: [], redirects: [] };
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
