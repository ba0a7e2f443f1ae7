import { memo, useEffect, useMemo, useRef, useState, type ComponentPropsWithoutRef } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { CopyButton } from './copy-button';
import { chunkStarts, isPlainParagraph, splitGrowing, type BlockSplit } from './markdown-blocks';

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

/** One top-level block; code is highlighted once its fence is closed (not on every token). */
const MarkdownBlock = memo(function MarkdownBlock({
  text,
  highlighted,
}: {
  text: string;
  highlighted: boolean;
}) {
  return (
    <ReactMarkdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={highlighted ? rehypePlugins : []}
      components={components}
    >
      {text}
    </ReactMarkdown>
  );
});

interface ChunkProps {
  readonly blocks: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly openFence: boolean;
}

function sameChunk(a: ChunkProps, b: ChunkProps): boolean {
  if (a.from !== b.from || a.to !== b.to || a.openFence !== b.openFence) return false;
  for (let i = a.from; i < a.to; i++) if (a.blocks[i] !== b.blocks[i]) return false;
  return true;
}

const MarkdownChunk = memo(function MarkdownChunk({ blocks, from, to, openFence }: ChunkProps) {
  const rows = [];
  for (let i = from; i < to; i++) {
    const last = i === blocks.length - 1;
    rows.push(
      // Blocks only ever grow at the end, so their index is a stable key.
      <MarkdownBlock key={i} text={blocks[i] ?? ''} highlighted={!(last && openFence)} />,
    );
  }
  return <div className="markdown-chunk">{rows}</div>;
}, sameChunk);

/** Remembers the last split of one message, so a growing answer is split incrementally. */
class SplitCache {
  private last: BlockSplit | null = null;
  private plain: boolean[] = [];
  split(text: string): { split: BlockSplit; starts: number[] } {
    const split = splitGrowing(this.last, text);
    // Whether a final block is a plain paragraph never changes: only the open ones are tested.
    const keep = split.reused;
    this.plain.length = keep;
    for (let i = keep; i < split.blocks.length; i++)
      this.plain.push(isPlainParagraph(split.blocks[i] ?? ''));
    this.last = split;
    return { split, starts: chunkStarts(this.plain) };
  }
}

/** Characters of new blocks parsed per commit (a few ms): the rest follow on the next frames. */
const REVEAL_BUDGET = 3000;

/** How many blocks to show: those shown already, and new ones up to the budget (one at least). */
function revealUpTo(blocks: readonly string[], shown: number): number {
  let next = Math.min(shown, blocks.length);
  let chars = 0;
  while (next < blocks.length && (next === shown || chars < REVEAL_BUDGET))
    chars += blocks[next++]?.length ?? 0;
  return next;
}

/** Markdown as the model wrote it: GFM tables and lists, highlighted code; no raw HTML. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const [cache] = useState(() => new SplitCache());
  const { split, starts } = useMemo(() => cache.split(text), [cache, text]);
  const count = split.blocks.length;
  // A text opened whole renders at once; blocks streamed in are revealed a budget per frame, so
  // a flush that brings many paragraphs never holds the main thread for long.
  const [shown, setShown] = useState(count);
  const visible = revealUpTo(split.blocks, shown);
  useEffect(() => {
    if (visible <= shown) return undefined;
    const frame = requestAnimationFrame(() => setShown(visible));
    return () => cancelAnimationFrame(frame);
  }, [visible, shown]);
  return (
    // A long answer's chunks off screen skip layout and paint (content-visibility).
    <div className={starts.length > 1 ? 'markdown markdown-long' : 'markdown'}>
      {starts
        .filter((from) => from < visible)
        .map((from, i) => {
          const to = Math.min(starts[i + 1] ?? count, visible);
          return (
            <MarkdownChunk
              key={from}
              blocks={split.blocks}
              from={from}
              to={to}
              openFence={to === count && split.openFence}
            />
          );
        })}
    </div>
  );
});
