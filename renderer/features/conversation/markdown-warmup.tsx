import { useEffect, useState } from 'react';
import { whenIdle } from '../../app/lazy-part';
import { Markdown } from './lazy-markdown';

/*
 * The first Markdown a page renders pays for compiling the parser, GFM, and highlight.js with its
 * grammars: a single main-thread task of about 100 ms on a slow machine, landing on the first
 * tokens of the first answer. This renders a small sample once, hidden, while the page is idle
 * after it opens, so that cost is paid before anyone is waiting.
 */
const SAMPLE = [
  '# Plan',
  '',
  'Read **the files**, run `npm test`, then [report](https://example.com).',
  '',
  '- one',
  '- two',
  '',
  '| step | result |',
  '| --- | --- |',
  '| test | ok |',
  '',
  '```ts',
  'const answer: number = 42;',
  '```',
  '',
  '```sh',
  'npm test -- --run',
  '```',
].join('\n');

export function MarkdownWarmup() {
  const [phase, setPhase] = useState<'waiting' | 'rendering' | 'done'>('waiting');
  useEffect(() => {
    if (phase === 'done') return undefined;
    return whenIdle(() => setPhase(phase === 'waiting' ? 'rendering' : 'done'));
  }, [phase]);
  if (phase !== 'rendering') return null;
  return (
    <div hidden aria-hidden="true">
      <Markdown text={SAMPLE} />
    </div>
  );
}
