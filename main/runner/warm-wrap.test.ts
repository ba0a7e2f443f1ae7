import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WarmWraps, rulesFingerprint, type PreparedRun, type SandboxRules } from './warm-wrap';

let root: string;
let rules: SandboxRules;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'warm-wrap-'));
  await mkdir(join(root, 'ws'));
  rules = {
    workspace: join(root, 'ws'),
    shell: '/bin/bash',
    writable: true,
    denyWrite: [join(root, 'ws', '.envrc'), join(root, 'ws', '.claude')],
    denyRead: [join(root, 'home', '.ssh')],
    allowRead: [],
    network: { policy: 'block_all', allowlist: [], denylist: [] },
  };
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function harness(
  options: { maxAgeMs?: number; now?: () => number; duringPrepare?: () => Promise<void> } = {},
) {
  const prepared: PreparedRun[] = [];
  const discarded: string[] = [];
  let n = 0;
  const warm = new WarmWraps({
    prepare: async () => {
      await options.duringPrepare?.();
      const run: PreparedRun = {
        runId: `run-${++n}`,
        runTmp: null,
        wrapped: { file: '/bin/sh', args: [], release: () => undefined },
      };
      prepared.push(run);
      return run;
    },
    discard: (run) => {
      discarded.push(run.runId);
      return Promise.resolve();
    },
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    ...(options.now ? { now: options.now } : {}),
  });
  return { warm, prepared, discarded };
}

describe('WarmWraps', () => {
  it('hands the prepared run to the next run with the same rules, once', async () => {
    const { warm, discarded } = harness();
    expect(await warm.take(rules)).toBeNull();
    warm.prepareNext(rules);
    expect((await warm.take(rules))?.runId).toBe('run-1');
    expect(await warm.take(rules)).toBeNull();
    expect(discarded).toEqual([]);
    expect(warm.stats).toEqual({ used: 1, discarded: 0 });
  });

  it('throws the prepared run away when the rules differ', async () => {
    const { warm, discarded } = harness();
    warm.prepareNext(rules);
    expect(await warm.take({ ...rules, denyWrite: [...rules.denyWrite, '/x/.git/hooks'] })).toBe(
      null,
    );
    expect(discarded).toEqual(['run-1']);
    warm.prepareNext(rules);
    expect(
      await warm.take({ ...rules, network: { policy: 'allow_all', allowlist: [], denylist: [] } }),
    ).toBe(null);
    expect(discarded).toEqual(['run-1', 'run-2']);
  });

  it('throws it away when a path the rules name has changed since', async () => {
    const { warm, discarded } = harness();
    warm.prepareNext(rules);
    await writeFile(join(root, 'ws', '.envrc'), 'export EVIL=1\n');
    expect(await warm.take(rules)).toBeNull();
    expect(discarded).toEqual(['run-1']);

    // A folder above a protected path turning into a symlink counts too.
    warm.prepareNext(rules);
    await mkdir(join(root, 'elsewhere'));
    await symlink(join(root, 'elsewhere'), join(root, 'home'));
    expect(await warm.take(rules)).toBeNull();
    expect(discarded).toEqual(['run-1', 'run-2']);
  });

  it('throws it away when something changed while it was being prepared', async () => {
    const { warm, discarded } = harness({
      duringPrepare: () => writeFile(join(root, 'ws', '.envrc'), ''),
    });
    warm.prepareNext(rules);
    // The fingerprint now equals the current state, but the wrap may have seen the old one.
    expect(await warm.take(rules)).toBeNull();
    expect(discarded).toEqual(['run-1']);
  });

  it('throws it away when it is too old', async () => {
    let now = 1000;
    const { warm, discarded } = harness({ maxAgeMs: 50, now: () => now });
    warm.prepareNext(rules);
    now += 51;
    expect(await warm.take(rules)).toBeNull();
    expect(discarded).toEqual(['run-1']);
  });

  it('keeps one prepared run at a time, and none after close', async () => {
    const { warm, prepared, discarded } = harness();
    warm.prepareNext(rules);
    warm.prepareNext(rules);
    await warm.discard();
    expect(prepared.map((r) => r.runId)).toEqual(['run-1']);
    expect(discarded).toEqual(['run-1']);
    await warm.close();
    warm.prepareNext(rules);
    expect(await warm.take(rules)).toBeNull();
    expect(prepared).toHaveLength(1);
  });

  it('lets the run wrap afresh when preparing fails', async () => {
    const warm = new WarmWraps({
      prepare: () => Promise.reject(new Error('no sandbox')),
      discard: () => Promise.resolve(),
    });
    warm.prepareNext(rules);
    expect(await warm.take(rules)).toBeNull();
  });

  it('fingerprints the type of each named path and of the folders above it', async () => {
    const before = rulesFingerprint(rules, root);
    expect(before).toContain(`${join(root, 'ws', '.envrc')}\0-`);
    expect(before).toContain(`${root}\0d`);
    await mkdir(join(root, 'ws', '.claude'));
    expect(rulesFingerprint(rules, root)).not.toBe(before);
    // The process's own folder is listed, since the runtime scans it itself.
    const cwd = rulesFingerprint(rules, root);
    await writeFile(join(root, '.bashrc'), '');
    expect(rulesFingerprint(rules, root)).not.toBe(cwd);
  });
});
