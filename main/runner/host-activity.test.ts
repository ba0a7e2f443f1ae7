import { describe, expect, it } from 'vitest';
import { activityRecordSchema } from '../../shared/domain/activity';
import { hostActivityRecords } from './host-activity';
import type { HostRecord } from './host-gate';

const base: HostRecord = {
  at: '2025-01-01T00:00:00.000Z',
  host: 'api.example.com',
  port: 443,
  runs: [
    {
      runId: 'run-a',
      command: 'curl https://api.example.com',
      sessionId: 's-aaaaaa',
      workspace: '/w',
      origin: {
        sessionId: 's-aaaaaa',
        turnId: 't-1',
        callId: 'c-1',
        tool: 'exec_command',
        asker: null,
        grants: null,
      },
    },
    { runId: 'run-b', command: 'make', sessionId: null, workspace: '/w', origin: null },
  ],
  decision: 'allow',
  by: 'user',
  answer: 'session',
  reason: 'answered',
  rules: 'not on the [sandbox.network] allowlist',
};

describe('hostActivityRecords', () => {
  it.each([
    [{}, 'approved-session', 'user'],
    [{ by: 'headless', answer: null, decision: 'deny' }, undefined, 'headless'],
    [{ by: 'timeout', answer: 'deny', decision: 'deny' }, 'cancelled', 'user'],
    [{ by: 'grant', answer: null }, undefined, 'grant'],
  ] as const)('builds valid network records for %j', (over, answer, by) => {
    let n = 0;
    const records = hostActivityRecords({ ...base, ...over }, () => `id-${n++}`);
    expect(records).toHaveLength(2);
    for (const r of records) expect(activityRecordSchema.parse(r)).toEqual(r);
    expect(records[0]).toMatchObject({
      kind: 'network',
      tool: 'exec_command',
      sessionId: 's-aaaaaa',
      callId: 'c-1',
      subject: 'api.example.com:443',
      subjects: [{ kind: 'host', host: 'api.example.com', port: 443 }],
      by: { kind: by },
    });
    expect(records[0]?.answer).toBe(answer);
    expect(records[1]).toMatchObject({ tool: 'terminal', sessionId: null, id: 'id-1' });
    // No command text: only run ids.
    expect(JSON.stringify(records)).not.toContain('curl');
  });
});
