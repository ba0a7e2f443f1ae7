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
const rehypePlugins = [rehypeHighlight];

/** Markdown as the model wrote it: GFM tables and lists, highlighted code; no raw HTML. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
