import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import { emptyConversation, foldEvents } from './conversation-reducer';

// A host question about a call's command: the call goes on whatever the answer (its command just
// cannot reach the host), and the card lists each host and what was said.

const at = '2025-01-01T00:00:00.000Z';
const t = { turnId: 't1', at };
const later = '2025-01-01T00:00:02.000Z';

const events = (outcome: 'denied' | 'approved-session'): AgentEvent[] => [
  { type: 'turn-started', ...t, prompt: 'go', provider: 'openai', model: 'm' },
  { type: 'tool-call-started', ...t, step: 0, callId: 'c1', tool: 'exec_command', args: {} },
  {
    type: 'tool-call-decided',
    ...t,
    callId: 'c1',
    decision: 'allow',
    reason: 'listed',
    rule: null,
  },
  {
    type: 'tool-call-awaiting-approval',
    ...t,
    callId: 'c1',
    approvalId: 'ap-123456',
    tool: 'exec_command',
    subject: 'connect to api.example.com:443',
    reason: 'not on the allow-list',
    canAlwaysAllow: true,
    network: {
      host: 'api.example.com',
      port: 443,
      runs: [{ runId: 'run-a', command: 'curl https://api.example.com', sessionId: 's-aaaaaa' }],
      reason: 'not on the allow-list',
      canSession: true,
    },
  },
  {
    type: 'approval-resolved',
    turnId: 't1',
    at: later,
    callId: 'c1',
    approvalId: 'ap-123456',
    outcome,
    reason: outcome === 'denied' ? 'no' : 'grant: api.example.com:443',
    host: 'api.example.com:443',
  },
];

describe('network approvals in the conversation', () => {
  it.each(['denied', 'approved-session'] as const)('keep the call running when %s', (outcome) => {
    const s = foldEvents(emptyConversation, events(outcome));
    expect(s.items[1]).toMatchObject({
      kind: 'tool',
      status: 'running',
      approval: null,
      waitedMs: 2000,
      network: [{ host: 'api.example.com:443', outcome }],
    });
    expect(s.run).toEqual({ state: 'running-tool', turnId: 't1', callId: 'c1' });
  });
});
