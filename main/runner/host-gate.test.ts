import { describe, expect, it } from 'vitest';
import {
  HostGate,
  type BlockedHost,
  type HostAnswer,
  type HostAsker,
  type HostGrants,
  type HostQuestion,
  type HostRecord,
  type HostWithdrawal,
  type RunOrigin,
} from './host-gate';
import type { NetworkRules } from './host-rules';

const RULES: NetworkRules = { policy: 'allowlist_only', allowlist: [], denylist: [] };

/** An asker a test answers by hand; it keeps every question and how it was withdrawn. */
function scriptedAsker() {
  const asked: {
    question: HostQuestion;
    answer: (a: HostAnswer) => void;
    aborted: () => string | null;
  }[] = [];
  const asker: HostAsker = {
    ask: (question, signal) =>
      new Promise((resolve) => {
        asked.push({
          question,
          answer: resolve,
          aborted: () => (signal.aborted ? (signal.reason as HostWithdrawal).why : null),
        });
      }),
  };
  return { asker, asked };
}

function memoryGrants(): HostGrants & { list: string[] } {
  const list: string[] = [];
  return {
    list,
    covers: (host, port) => list.includes(`${host}:${port}`),
    add: (host, port) => {
      list.push(`${host}:${port}`);
      return `${host}:${port}`;
    },
  };
}

const origin = (asker: HostAsker | null, grants: HostGrants | null = null): RunOrigin => ({
  sessionId: grants ? 's-session1' : null,
  asker,
  grants,
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('HostGate', () => {
  it('asks once for concurrent connections to one host and lets them all through on Allow once', async () => {
    const records: HostRecord[] = [];
    const gate = new HostGate({ onRecord: (r) => records.push(r) });
    const { asker, asked } = scriptedAsker();
    gate.attach({ runId: 'run-a', command: 'npm install', sessionId: null }, origin(asker), RULES);
    const first = gate.ask({ host: 'Registry.NPMjs.org.', port: 443 });
    const second = gate.ask({ host: 'registry.npmjs.org', port: 443 });
    await tick();
    expect(asked).toHaveLength(1);
    expect(asked[0]!.question).toMatchObject({
      host: 'registry.npmjs.org',
      port: 443,
      runs: [{ runId: 'run-a', command: 'npm install' }],
      canSession: false,
    });
    asked[0]!.answer({ kind: 'once' });
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    // The run keeps it until it ends: a retry is not asked about again.
    expect(await gate.ask({ host: 'registry.npmjs.org', port: 443 })).toBe(true);
    expect(asked).toHaveLength(1);
    expect(records.map((r) => [r.decision, r.by, r.answer])).toEqual([['allow', 'user', 'once']]);
  });

  it('names every run on the proxy, asks each asker once, and the first answer withdraws the rest', async () => {
    const gate = new HostGate();
    const one = scriptedAsker();
    const two = scriptedAsker();
    gate.attach(
      { runId: 'run-a', command: 'curl x', sessionId: 's-aaaaaa' },
      origin(one.asker),
      RULES,
    );
    gate.attach(
      { runId: 'run-b', command: 'make', sessionId: 's-aaaaaa' },
      origin(one.asker),
      RULES,
    );
    gate.attach({ runId: 'run-c', command: 'npm test', sessionId: null }, origin(two.asker), RULES);
    const decided = gate.ask({ host: 'example.com', port: 80 });
    await tick();
    expect(one.asked).toHaveLength(1);
    expect(two.asked).toHaveLength(1);
    expect(one.asked[0]!.question.runs.map((r) => r.runId)).toEqual(['run-a', 'run-b', 'run-c']);
    two.asked[0]!.answer({ kind: 'deny', reason: 'no' });
    expect(await decided).toBe(false);
    expect(gate.explain('run-b', 'deny network-outbound example.com:80 (user denied)')).toBe(
      'deny network-outbound example.com:80 (denied when asked: no)',
    );
    expect(one.asked[0]!.aborted()).toBe('answered elsewhere: denied');
    // Denied for those runs: their retries are refused without asking again.
    expect(await gate.ask({ host: 'example.com', port: 80 })).toBe(false);
    expect(one.asked).toHaveLength(1);
  });

  it('lets a connection through without asking only when every run holds a grant for the host', async () => {
    const gate = new HostGate();
    const { asker, asked } = scriptedAsker();
    const grants = memoryGrants();
    gate.attach(
      { runId: 'run-a', command: 'curl', sessionId: 's-aaaaaa' },
      origin(asker, grants),
      RULES,
    );
    const first = gate.ask({ host: 'api.example.com', port: 443 });
    await tick();
    expect(asked[0]!.question.canSession).toBe(true);
    asked[0]!.answer({ kind: 'session' });
    expect(await first).toBe(true);
    expect(grants.list).toEqual(['api.example.com:443']);
    gate.detach('run-a');
    // A later run of the same session: the session grant covers it.
    gate.attach(
      { runId: 'run-b', command: 'curl', sessionId: 's-aaaaaa' },
      origin(asker, grants),
      RULES,
    );
    expect(await gate.ask({ host: 'api.example.com', port: 443 })).toBe(true);
    // Another port is another host.
    const other = gate.ask({ host: 'api.example.com', port: 8443 });
    await tick();
    expect(asked).toHaveLength(2);
    asked[1]!.answer({ kind: 'deny' });
    expect(await other).toBe(false);
    // A run without the grant shares the proxy: the granted host asks again, naming both.
    gate.attach({ runId: 'run-c', command: 'wget', sessionId: null }, origin(asker), RULES);
    const shared = gate.ask({ host: 'api.example.com', port: 443 });
    await tick();
    expect(asked).toHaveLength(3);
    expect(asked[2]!.question.runs.map((r) => r.runId)).toEqual(['run-b', 'run-c']);
    expect(asked[2]!.question.canSession).toBe(false);
    asked[2]!.answer({ kind: 'once' });
    expect(await shared).toBe(true);
  });

  it('denies and reports, without asking, when a run cannot ask (headless)', async () => {
    const blocked: BlockedHost[] = [];
    const records: HostRecord[] = [];
    const gate = new HostGate({
      onBlocked: (b) => blocked.push(b),
      onRecord: (r) => records.push(r),
    });
    gate.attach({ runId: 'run-a', command: 'curl', sessionId: null }, origin(null), RULES);
    expect(await gate.ask({ host: 'example.com', port: 443 })).toBe(false);
    expect(await gate.ask({ host: 'example.com', port: 443 })).toBe(false);
    expect(blocked.map((b) => [b.runId, b.host, b.port])).toEqual([['run-a', 'example.com', 443]]);
    expect(blocked[0]?.reason).toContain('allowlist');
    expect(records.map((r) => [r.decision, r.by])).toEqual([['deny', 'headless']]);
    // The runtime's violation line gets the gate's reason instead of "user denied".
    expect(gate.explain('run-a', 'deny network-outbound Example.COM:443 (user denied)')).toBe(
      'deny network-outbound Example.COM:443 (not on the [sandbox.network] allowlist, and this run cannot ask)',
    );
    expect(gate.explain('run-a', 'deny network-outbound other.com:443 (user denied)')).toBe(
      'deny network-outbound other.com:443 (user denied)',
    );
    expect(gate.explain('run-a', 'deny file-write /x')).toBe('deny file-write /x');
  });

  it('denies a question nobody answers in time, and one whose run ended', async () => {
    const gate = new HostGate({ timeoutMs: 30 });
    const { asker, asked } = scriptedAsker();
    gate.attach({ runId: 'run-a', command: 'curl', sessionId: null }, origin(asker), RULES);
    expect(await gate.ask({ host: 'slow.example', port: 443 })).toBe(false);
    expect(asked[0]!.aborted()).toBe('nobody answered in time');
    const ended = gate.ask({ host: 'other.example', port: 443 });
    await tick();
    gate.detach('run-a');
    expect(await ended).toBe(false);
    expect(asked[1]!.aborted()).toBe('the command ended');
    // No run on the proxy: nothing to ask for.
    expect(await gate.ask({ host: 'x.example', port: 443 })).toBe(false);
  });

  it.each([
    [{ host: 'evil.com\u0000.ok.com', port: 443 }],
    [{ host: 'a b', port: 443 }],
    [{ host: 'ok.com' }],
  ])('refuses %j without asking', async (request) => {
    const gate = new HostGate();
    const { asker, asked } = scriptedAsker();
    gate.attach({ runId: 'run-a', command: 'x', sessionId: null }, origin(asker), RULES);
    expect(await gate.ask(request)).toBe(false);
    expect(asked).toHaveLength(0);
  });

  it('denies open questions when closed', async () => {
    const gate = new HostGate();
    const { asker } = scriptedAsker();
    gate.attach({ runId: 'run-a', command: 'x', sessionId: null }, origin(asker), RULES);
    const open = gate.ask({ host: 'example.com', port: 443 });
    await tick();
    gate.close();
    expect(await open).toBe(false);
  });
});
