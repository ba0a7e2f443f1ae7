import { describe, expect, it } from 'vitest';
import { entryPattern, type HostEntry, type NetworkRules } from './host-rules';
import { LeaseCancelledError, NetworkLeases, type LeaseOutcome } from './network-leases';

const rules = (
  allow: string[],
  policy: NetworkRules['policy'] = 'allowlist_only',
): NetworkRules => ({
  policy,
  allowlist: allow.map((a) => {
    const [domain = '', port] = a.split(':');
    return port ? { domain, port: Number(port) } : { domain };
  }),
  denylist: [],
});

function setup(grants: Record<string, string[]> = {}) {
  const applied: string[][] = [];
  const leases = new NetworkLeases({
    apply: (r) => applied.push(r.allowlist.map(entryPattern)),
    granted: (runId: string, e: HostEntry) => (grants[runId] ?? []).includes(entryPattern(e)),
  });
  return { leases, applied };
}

function waiting(outcome: LeaseOutcome): Extract<LeaseOutcome, { granted: false }> {
  if (outcome.granted) throw new Error('granted at once');
  return outcome;
}

describe('NetworkLeases', () => {
  it('lets runs with the same rules share the proxy and queues a run with other rules until they end', async () => {
    const { leases, applied } = setup();
    expect(
      leases.request({ runId: 'run-a', command: 'npm i', rules: rules(['a.com:443']) }).granted,
    ).toBe(true);
    expect(
      leases.request({ runId: 'run-b', command: 'npm t', rules: rules(['a.com:443']) }).granted,
    ).toBe(true);
    const c = waiting(
      leases.request({ runId: 'run-c', command: 'curl b.com', rules: rules(['b.com:443']) }),
    );
    expect(c.reason).toContain('`npm i`, `npm t`');
    // A run with the proxy's rules does not overtake one that waits.
    const d = waiting(
      leases.request({ runId: 'run-d', command: 'ls', rules: rules(['a.com:443']) }),
    );
    expect(d.reason).toContain('1 queued ahead');
    expect(leases.waitingReason('run-d')).toContain('1 queued ahead');
    let started = false;
    void c.ready.then(() => (started = true));
    leases.release('run-a');
    await Promise.resolve();
    expect(started).toBe(false);
    leases.release('run-b');
    await c.ready;
    expect(applied).toEqual([['a.com:443'], ['b.com:443']]);
    // d waits for c now.
    expect(leases.waitingReason('run-d')).toContain('`curl b.com`');
    leases.release('run-c');
    await d.ready;
    expect(applied.at(-1)).toEqual(['a.com:443']);
  });

  it('cancels a waiting run, and the runs behind it move up', async () => {
    const { leases } = setup();
    leases.request({ runId: 'run-a', command: 'x', rules: rules(['a.com']) });
    const b = waiting(leases.request({ runId: 'run-b', command: 'y', rules: rules(['b.com']) }));
    const c = waiting(leases.request({ runId: 'run-c', command: 'z', rules: rules(['a.com']) }));
    expect(leases.cancel('run-b')).toBe(true);
    await expect(b.ready).rejects.toBeInstanceOf(LeaseCancelledError);
    await c.ready;
    expect(leases.cancel('run-b')).toBe(false);
  });

  it('lets a run join when its list only adds hosts every run on the proxy was granted', async () => {
    const grants: Record<string, string[]> = { 'run-a': [] };
    const { leases, applied } = setup(grants);
    leases.request({ runId: 'run-a', command: 'dev server', rules: rules(['a.com:443']) });
    const wider = rules(['a.com:443', 'new.example:443']);
    const b = waiting(leases.request({ runId: 'run-b', command: 'curl', rules: wider }));
    // The person allowed new.example:443 for the running command ("Always"): b may join.
    grants['run-a'] = ['new.example:443'];
    leases.pump();
    await b.ready;
    expect(applied).toEqual([['a.com:443'], ['a.com:443', 'new.example:443']]);
    // Dropping an entry, a wildcard or another policy never joins.
    for (const other of [
      rules([]),
      rules(['a.com:443', '*.x.com:443']),
      rules(['a.com:443'], 'block_all'),
    ]) {
      expect(
        leases.request({ runId: `run-${applied.length}x`, command: 'c', rules: other }).granted,
      ).toBe(false);
    }
  });
});
