/*
 * A streamed answer split into top-level Markdown blocks, so each flush re-parses only the block
 * that is still growing. A split must never change what the whole text renders as: where a blank
 * line might not end a block (a list going on, indented content, a reference defined elsewhere)
 * the blocks stay together.
 */

/** The blocks of a text, and what is needed to extend the split when the text grows. */
export interface BlockSplit {
  readonly text: string;
  readonly blocks: readonly string[];
  /**
   * Where the blocks that may still change start (the last one, and the one before it while the
   * line that split them is unfinished): everything before is final while the text only grows.
   */
  readonly openStart: number;
  /** How many blocks come before `openStart`. */
  readonly finalBlocks: number;
  /** How many leading blocks were kept from the split this one grew from (0: split afresh). */
  readonly reused: number;
  /** The last block holds a code fence whose closing marker has not arrived yet. */
  readonly openFence: boolean;
  /** A link reference or footnote definition: blocks may refer to each other, so one block. */
  readonly definitions: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const DEFINITION = /^ {0,3}\[[^\]]+\]:/m;

const INDENTED_CODE = /^(?: {4}|\t)/;

/**
 * Whether a blank line ends the block before `next` (its first non-blank line after the gap).
 * `hasList`: the block holds a list item; `last`: its last non-blank line.
 */
function endsBlock(hasList: boolean, last: string, next: string): boolean {
  // A list goes on with its next item, or with an indented paragraph of the item.
  if (hasList && (LIST_ITEM.test(next) || /^[ \t]/.test(next))) return false;
  // Indented code goes on across blank lines.
  if (INDENTED_CODE.test(last) && INDENTED_CODE.test(next)) return false;
  return true;
}

function splitFrom(text: string, from: number): BlockSplit {
  const blocks: string[] = [];
  const starts: number[] = [];
  // A split decided on the unfinished last line may be undone when that line goes on.
  let unsure = false;
  let fence: string | null = null;
  let start = from;
  let gapAt: number | null = null;
  let hasList = false;
  let last = '';
  let lineStart = from;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    if (fence === null && line.trim() === '') {
      gapAt ??= lineStart;
    } else {
      if (fence === null && gapAt !== null) {
        if (last === '')
          start = lineStart; // blank lines before the first block
        else if (endsBlock(hasList, last, line)) {
          blocks.push(text.slice(start, gapAt));
          starts.push(start);
          unsure = newline === -1;
          start = lineStart;
          hasList = false;
        }
        gapAt = null;
      }
      const marker = FENCE.exec(line)?.[1] ?? null;
      if (fence === null && marker) fence = marker;
      else if (
        fence !== null &&
        marker &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        line.trim() === marker
      )
        fence = null;
      else if (fence === null && LIST_ITEM.test(line)) hasList = true;
      last = line;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  const rest = text.slice(start);
  if (rest.trim() !== '') {
    blocks.push(rest);
    starts.push(start);
  }
  const finalBlocks = Math.max(0, blocks.length - (unsure ? 2 : 1));
  return {
    text,
    blocks,
    openStart: starts[finalBlocks] ?? from,
    finalBlocks,
    reused: 0,
    openFence: fence !== null,
    definitions: false,
  };
}

function whole(text: string): BlockSplit {
  return {
    text,
    blocks: text.trim() === '' ? [] : [text],
    openStart: 0,
    finalBlocks: 0,
    reused: 0,
    openFence: false,
    definitions: true,
  };
}

/** Split Markdown into top-level blocks at the blank lines that surely end one. */
export function splitMarkdown(text: string): BlockSplit {
  return DEFINITION.test(text) ? whole(text) : splitFrom(text, 0);
}

/**
 * Split a text that grew from `previous` (a streamed answer) by re-reading only from the start of
 * the previous open blocks; a text that does not extend it is split from scratch.
 */
export function splitGrowing(previous: BlockSplit | null, text: string): BlockSplit {
  if (!previous || previous.blocks.length === 0 || !text.startsWith(previous.text))
    return splitMarkdown(text);
  if (previous.definitions || DEFINITION.test(text.slice(previous.openStart))) return whole(text);
  const tail = splitFrom(text, previous.openStart);
  const kept = previous.blocks.slice(0, previous.finalBlocks);
  return {
    ...tail,
    blocks: [...kept, ...tail.blocks],
    finalBlocks: kept.length + tail.finalBlocks,
    reused: kept.length,
  };
}

/** A line that could start something else than a paragraph's next line, or end it as a heading. */
const PLAIN =
  /^ {0,3}(?!\d{1,9}[.)](?:[ \t]|$))[\p{L}\p{N}](?![\s\S]*\n {0,3}(?:[-=]+[ \t]*(?:\n|$)|[-+*>#|`~<]|\d{1,9}[.)]))/u;

/** Whether a block is one plain paragraph (a `<p>` and nothing else). */
export function isPlainParagraph(block: string): boolean {
  return PLAIN.test(block);
}

/** Blocks per chunk, at least: a chunk of final blocks never renders again. */
export const CHUNK = 32;

/**
 * Where chunks of blocks start: every CHUNK blocks or more, and only between two plain
 * paragraphs, so the gap at a chunk's edge is the paragraphs' own margin (a chunk is a box, and
 * margins do not collapse across it). Starts between final blocks never move.
 */
export function chunkStarts(plain: readonly boolean[]): number[] {
  const starts = [0];
  for (let i = 1; i < plain.length; i++)
    if (plain[i] && plain[i - 1] && i - (starts.at(-1) ?? 0) >= CHUNK) starts.push(i);
  return starts;
}
