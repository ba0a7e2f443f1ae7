import { lazy, memo, Suspense } from 'react';
import type * as MarkdownModule from './markdown';

/*
 * The Markdown pipeline (react-markdown, GFM, highlight.js and its grammars) is the largest part of
 * the renderer, and the first screen never shows an answer: it loads as a chunk of its own, asked
 * for while the page is idle after it opens (MarkdownWarmup). Until it is there, text shows as
 * plain text in the same place.
 */
let loading: Promise<typeof MarkdownModule> | null = null;

/** Start loading the Markdown chunk (once); resolves when it is ready. */
export function preloadMarkdown(): Promise<typeof MarkdownModule> {
  loading ??= import('./markdown');
  return loading;
}

const Loaded = lazy(() => preloadMarkdown().then((m) => ({ default: m.Markdown })));

/** Markdown text, rendered by the lazily loaded pipeline (plain text until it has loaded). */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <Suspense fallback={<div className="markdown markdown-plain">{text}</div>}>
      <Loaded text={text} />
    </Suspense>
  );
});
