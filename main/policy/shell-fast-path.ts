import type { ParsedScript } from './shell-parser';
import { bareWord } from './shell-words';

/**
 * Parser-free reading of the commonest agent command: one line of plain words, such as
 * `git diff HEAD~1 -- src/index.ts` or `npm test -- --run  # why`. It gives exactly what the
 * tree-sitter walk gives for such a line (shell-fast-path.test.ts checks this against the parser
 * on the corpus and on generated lines), and null for anything else, which then goes to the parser.
 *
 * Why it is equivalent: with none of the shell's metacharacters (quotes, `\`, `$`, backquote,
 * `;&|<>(){}[]*?!`, newline) there is no quoting, expansion, glob, redirection, operator or
 * grouping, so the line is one simple command whose words are split on blanks, and a `#` after a
 * blank starts a comment. Reserved words, declaration builtins and a leading `NAME=` are left to
 * the parser because they change the node kinds.
 */
export function parseSimpleCommand(script: string): ParsedScript | null {
  if (!SIMPLE_LINE.test(script)) return null;
  const hash = script.search(COMMENT_START);
  const body = hash >= 0 ? script.slice(0, hash) : script;
  const words = body.split(BLANKS).filter((w) => w !== '');
  if (words.length === 0) return { commands: [], hazards: [] };
  const first = words[0] as string;
  if (!PROGRAM_WORD.test(first)) return null;
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    if (!ARGUMENT_WORD.test(word) && !OPTION_WITH_VALUE.test(word)) return null;
  }
  for (const word of words) if (SPECIAL_WORDS.has(word)) return null;
  const start = body.indexOf(first);
  const last = words[words.length - 1] as string;
  const end = body.lastIndexOf(last) + last.length;
  return {
    commands: [
      {
        text: body.slice(start, end),
        assignments: [],
        words: words.map(bareWord),
        redirects: [],
      },
    ],
    hazards: [],
  };
}

// Words of safe characters separated by blanks (one way to split, so no backtracking blow-up),
// then an optional comment of printable ASCII after a blank.
const SIMPLE_LINE =
  /^[ \t]*(?:[\w./:@%+,^=~-]+(?:[ \t]+[\w./:@%+,^=~-]+)*)?[ \t]*(?:(?<=^|[ \t])#[\x20-\x7e\t]*)?$/;
// tree-sitter-bash reads the first word with its assignment and test-operator rules (`a+=`,
// `a@`, `b%`, `==`, `=~`), so the fast path keeps to words it reads as plain words.
const PROGRAM_WORD = /^[\w./][\w./-]*$/;
const ARGUMENT_WORD = /^[\w./:,+^~@%-]+$/;
const OPTION_WITH_VALUE = /^--?[A-Za-z][\w-]*=[\w./:,+^~@%-]*$/;
const COMMENT_START = /(?<=^|[ \t])#/;
const BLANKS = /[ \t]+/;

const SPECIAL_WORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'case',
  'esac',
  'for',
  'select',
  'while',
  'until',
  'do',
  'done',
  'in',
  'function',
  'time',
  'coproc',
  'declare',
  'typeset',
  'export',
  'readonly',
  'local',
  'unset',
  'unsetenv',
]);
