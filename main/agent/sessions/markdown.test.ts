import { describe, expect, it } from 'vitest';
import type { AgentEvent, SessionSummary } from '../../../shared/domain/agent';
import { exportFileName, sessionToMarkdown } from './markdown';

const at = '2025-01-01T00:00:00.000Z';
const base = { turnId: 't1', at };
const summary: SessionSummary = {
  id: 's-aaaaaa',
  title: 'Fix the build…',
  workspace: '/w',
  createdAt: at,
  updatedAt: at,
  provider: 'openai',
  model: 'm',
  turns: 1,
};
const usage = {
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd: null,
};
const events: AgentEvent[] = [
  { type: 'turn-started', ...base, prompt: 'Fix it', provider: 'openai', model: 'm' },
  { type: 'text-delta', ...base, step: 0, text: 'Partial that is ' },
  {
    type: 'retry',
    ...base,
    step: 0,
    attempt: 1,
    delayMs: 10,
    reason: 'timeout',
    discardPartial: true,
  },
  { type: 'text-delta', ...base, step: 0, text: 'Looking ' },
  { type: 'reasoning-delta', ...base, step: 0, text: 'thinking' },
  { type: 'text-delta', ...base, step: 0, text: 'now.' },
  {
    type: 'tool-call-started',
    ...base,
    step: 0,
    callId: 'c1',
    tool: 'run_pty_cmd',
    args: { command: 'npm test' },
  },
  {
    type: 'approval-resolved',
    ...base,
    callId: 'c1',
    approvalId: 'ap-000001',
    outcome: 'approved-once',
    reason: null,
  },
  {
    type: 'tool-call-finished',
    ...base,
    callId: 'c1',
    tool: 'run_pty_cmd',
    status: 'ok',
    durationMs: 12.4,
    result: `exit code 0\n${'x'.repeat(4100)}`,
  },
  {
    type: 'context-trimmed',
    ...base,
    mode: 'trim',
    droppedMessages: 3,
    tokensBefore: 900,
    tokensAfter: 400,
  },
  {
    type: 'error',
    ...base,
    error: {
      kind: 'auth',
      message: 'openai rejected the API key (401): Bad key.. Check the key.',
      status: 401,
    },
  },
  { type: 'turn-finished', ...base, outcome: 'failed', usage, durationMs: 20, message: null },
];

describe('session export', () => {
  const md = sessionToMarkdown(summary, events);

  it('has no doubled full stops, UI glyphs or ellipses of its own', () => {
    expect(md).not.toMatch(/[^.]\.\.(\s|$)/);
    expect(md).not.toMatch(/[…→✓✔✗✘⠋⠙⠹⏳●○◐]/u);
    expect(md).toContain('# Fix the build\n');
    expect(md).toContain('Bad key. Check the key.');
    expect(md).toContain('[output cut here: 112 more characters not exported]');
    expect(md).toContain('> Context trimmed: 3 messages dropped, 900 tokens down to 400');
    expect(md).toContain('> Approval: Allowed once');
    expect(md).toContain('_Turn failed: 10 tokens in, 5 out_');
  });

  it('keeps one answer whole: a retried step is not doubled, reasoning does not split it', () => {
    expect(md).not.toContain('Partial');
    expect(md.match(/### Assistant/g)).toHaveLength(1);
    expect(md).toContain('### Assistant\n\nLooking now.\n');
  });

  it('fences content holding backticks with a longer fence', () => {
    const out = sessionToMarkdown(summary, [
      { type: 'tool-call-started', ...base, step: 0, callId: 'c', tool: 'read_file', args: {} },
      {
        type: 'tool-call-finished',
        ...base,
        callId: 'c',
        tool: 'read_file',
        status: 'ok',
        durationMs: 1,
        result: 'a\n````\nb',
      },
    ]);
    expect(out).toContain('`````\na\n````\nb\n`````');
  });

  it.each([
    ['Fix the build…', 'Fix-the-build.md'],
    ['  ', 'Session.md'],
    ['a/b\\c:d', 'a-b-c-d.md'],
    [`${'long '.repeat(30)}`, `${'long-'.repeat(16)}.md`.replace('-.md', '.md')],
  ])('file name for %j is %j', (title, name) => expect(exportFileName(title)).toBe(name));
});
