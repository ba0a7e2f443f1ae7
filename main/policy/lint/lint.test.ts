import { describe, expect, it } from 'vitest';
import { lintPolicy, lintResult } from './lint';
import { lintFixture } from './lint-testing';

describe('lintPolicy', () => {
  it('flags allow_glob * once, as an error, with a fix that removes it', async () => {
    const f = await lintFixture('[commands]\nallow_glob = ["*"]\nallow_list = ["git status"]\n');
    const out = lintPolicy(f.config, f.options);
    const errors = out.filter((x) => x.severity === 'error');
    expect(errors.map((x) => [x.kind, x.rule?.entry])).toEqual([['runs-anything', '*']]);
    expect(errors[0]?.fix?.label).toBe('remove allow_glob *');
    // `git status` is inside `*`: redundant while `*` stands, which is info, after the error.
    expect(out.map((x) => x.severity)).toEqual(['error', 'info']);
  });

  it('a clean policy has no findings, and findings have stable ids', async () => {
    const clean = await lintFixture(
      '[commands]\nallow_list = ["git status", "ls"]\ndeny_glob = ["rm *"]\n[tools.policies]\nexec_command = "prompt"\n',
    );
    expect(lintPolicy(clean.config, clean.options)).toEqual([]);
    const a = await lintFixture('[commands]\nallow_glob = ["ls*", "python3 *"]\n');
    const b = await lintFixture('[commands]\nallow_glob = ["ls*", "python3 *"]\n');
    const ids = (x: typeof a) => lintPolicy(x.config, x.options).map((f) => f.id);
    expect(ids(a)).toHaveLength(2);
    // Same file path, same findings: the same ids (paths differ between fixtures).
    expect(ids(a)).toEqual(ids(a));
    expect(ids(a)).not.toEqual(ids(b));
  });

  it('offers the same fix of a rule once, on its most severe finding', async () => {
    const f = await lintFixture('[commands]\nallow_glob = ["*"]\n');
    const ref = {
      kind: 'allow_list' as const,
      entry: 'other',
      section: 'commands',
      source: { layer: 'workspace' as const, file: '/x' },
    };
    const record = {
      v: 1 as const,
      id: 'r',
      at: '2026-01-01T00:00:00Z',
      sessionId: null,
      turnId: null,
      callId: null,
      kind: 'call' as const,
      tool: 'exec_command',
      subject: 'x',
      subjects: [],
      policy: { decision: 'allow' as const, reason: 'x', rule: ref },
      decision: 'allow' as const,
      by: { kind: 'user' as const },
      reason: 'x',
      parts: [],
      paths: [],
    };
    const out = lintPolicy(f.config, { ...f.options, activity: [{ record, sealed: true }] });
    expect(out.map((x) => [x.kind, x.fix?.label ?? null])).toEqual([
      ['runs-anything', 'remove allow_glob *'],
      ['never-matched', null],
    ]);
  });

  it('reports the activity it looked at', async () => {
    const f = await lintFixture('[commands]\nallow_list = ["ls"]\n');
    expect(lintResult(f.config, f.options).activity).toEqual({ records: 0, since: null });
  });
});
