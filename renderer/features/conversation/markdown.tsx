import { memo, useRef, type ComponentPropsWithoutRef } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { CopyButton } from './copy-button';

/** A fenced code block with its language and a copy button. */
function CodeBlock({
  children,
  node: _node,
  ...rest
}: ComponentPropsWithoutRef<'pre'> & { node?: unknown }) {
  const ref = useRef<HTMLPreElement>(null);
  return (
    <div className="code-block">
      <CopyButton label="Copy code" text={() => ref.current?.textContent ?? ''} />
      <pre ref={ref} {...rest}>
        {children}
      </pre>
    </div>
  );
}

const components: Components = {
  pre: CodeBlock,
  // Links leave the app: the window's navigation guard opens them outside, never in place.
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
};

const remarkPlugins = [remarkGfm];
// rehype-highlight builds a highlighter (registering every language) each time it is attached,
// and react-markdown attaches plugins on every render: build it once and share it.
const highlight = rehypeHighlight();
const rehypePlugins = [() => highlight];

/**
 * Split Markdown into top-level blocks at blank lines outside fenced code, so a streamed answer
 * re-parses only its last (growing) block each frame instead of the whole text.
 */
export function splitMarkdownBlocks(text: string): string[] {
  return splitFrom(text, 0).blocks;
}

interface Split {
  readonly text: string;
  readonly blocks: string[];
  /** Where the last block starts: everything before it is final while the text only grows. */
  readonly lastStart: number;
}

function splitFrom(text: string, from: number): Split {
  const blocks: string[] = [];
  let lastStart = from;
  let fence: string | null = null;
  let start = from;
  let lineStart = from;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1] ?? null;
    if (fence === null && marker) fence = marker;
    else if (
      fence !== null &&
      marker &&
      marker[0] === fence[0] &&
      marker.length >= fence.length &&
      line.trim() === marker
    )
      fence = null;
    else if (fence === null && line.trim() === '') {
      const block = text.slice(start, lineStart);
      if (block.trim() !== '') {
        blocks.push(block);
        lastStart = start;
      }
      start = lineEnd + 1;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  const rest = text.slice(start);
  if (rest.trim() !== '') {
    blocks.push(rest);
    lastStart = start;
  }
  return { text, blocks, lastStart };
}

/**
 * Split a text that grew from `previous` (a streamed answer) by re-reading only from the start of
 * the previous last block; anything else is split from scratch.
 */
export function splitGrowing(previous: Split | null, text: string): Split {
  if (!previous || previous.blocks.length === 0 || !text.startsWith(previous.text))
    return splitFrom(text, 0);
  const tail = splitFrom(text, previous.lastStart);
  return {
    text,
    blocks: [...previous.blocks.slice(0, -1), ...tail.blocks],
    lastStart: tail.blocks.length > 0 ? tail.lastStart : previous.lastStart,
  };
}

const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={rehypePlugins}
      components={components}
    >
      {text}
    </ReactMarkdown>
  );
});

/** Markdown as the model wrote it: GFM tables and lists, highlighted code; no raw HTML. */
// The last split, shared: the answer being streamed is the one that re-renders, so it is almost
// always the previous text (any other text is simply split from scratch).
let lastSplit: Split | null = null;

function blocksOf(text: string): string[] {
  lastSplit = splitGrowing(lastSplit, text);
  return lastSplit.blocks;
}

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const blocks = blocksOf(text);
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        // Blocks only ever grow at the end, so their index is a stable key.
        <MarkdownBlock key={index} text={block} />
      ))}
    </div>
  );
});
