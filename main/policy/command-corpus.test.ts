import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL, CORPUS_TOML } from './command-corpus-cases';
import type { PolicyEngine } from './engine';
import { engineFromToml, tempDir } from './test-helpers';

let engine: PolicyEngine;
let ws: string;

beforeAll(async () => {
  ws = tempDir('policy-corpus-');
  const home = tempDir('policy-home-');
  mkdirSync(join(home, '.ssh'));
  engine = await engineFromToml(CORPUS_TOML, ws, home, [join(home, '.config', 'vtcode-desktop')]);
});

describe('command corpus', () => {
  for (const [group, cases] of Object.entries(ALL)) {
    describe(group, () => {
      it.each(cases)('%j -> %s', (command, expected) => {
        const decision = engine.decideCommand(command);
        expect(
          decision.decision,
          JSON.stringify(decision.parts.map((p) => [p.text, p.decision, p.reason])),
        ).toBe(expected);
        if (expected !== 'allow') expect(decision.reason).not.toBe('');
      });
    });
  }

  it('has at least 200 command cases', () => {
    expect(Object.values(ALL).reduce((n, c) => n + c.length, 0)).toBeGreaterThanOrEqual(200);
  });
});

describe('explanations', () => {
  it('names the rule, file and section that denied a part', () => {
    const d = engine.decideCommand('ls && rm -rf build');
    const denied = d.parts.find((p) => p.decision === 'deny');
    expect(denied?.rule).toMatchObject({ kind: 'deny_glob', entry: 'rm *', section: 'commands' });
    expect(denied?.rule?.source.file).toBe(join(ws, 'vtcode.toml'));
    expect(d.reason).toBe(`denied by deny_glob \`rm *\` in ${join(ws, 'vtcode.toml')} [commands]`);
    expect(d.parts.map((p) => p.command)).toEqual(['ls', 'rm -rf build']);
  });

  it('reports normalised parts for wrapped commands', () => {
    const d = engine.decideCommand('sudo -u root /usr/bin/rm -rf "a b"');
    expect(d.parts[0]?.argv).toEqual(['rm', '-rf', 'a b']);
  });
});

describe('hostile sizes', () => {
  // Warm the JIT once so the timings measure the engine, not the first compilation. The bounds
  // catch super-linear blow-ups (seconds to minutes), not speed: bench/policy-bench.ts reports the
  // figures (a 100 kB command decides in tens of milliseconds there), and a loaded CI core is slow.
  beforeAll(() => {
    engine.decideCommand('echo warm; '.repeat(2000));
  });

  it('decides 100 kB of commands well under a second', () => {
    const big = 'git status && '.repeat(7200) + 'ls';
    expect(big.length).toBeGreaterThan(100_000);
    const start = performance.now();
    const d = engine.decideCommand(big);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(d.decision).toBe('allow');
  });

  it('denies a 100 kB command with one bad part at the end', () => {
    const big = 'echo ok; '.repeat(12_000) + 'rm -rf x';
    const start = performance.now();
    expect(engine.decideCommand(big).decision).toBe('deny');
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('decides deeply nested substitutions without overflowing the stack', () => {
    const nested = '$('.repeat(2000) + 'ls' + ')'.repeat(2000);
    const start = performance.now();
    const d = engine.decideCommand(`echo ${nested}`);
    expect(['prompt', 'allow']).toContain(d.decision);
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('decides a single 100 kB word', () => {
    expect(engine.decideCommand(`echo ${'a'.repeat(100_000)}`).decision).toBe('allow');
  });
});
