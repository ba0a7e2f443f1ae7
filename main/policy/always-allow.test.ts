import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFiles } from '../config/config-loader';
import { trustForTests } from '../workspace/trust-testing';
import { createConfigStore } from '../config/config-store';
import { alwaysAllow } from './always-allow';
import { createPolicyEngine, type PolicyEngine } from './engine';
import { createShellParser } from './shell-parser';
import { tempDir } from './test-helpers';

/** A workspace with a vtcode.toml, its store, and an engine over the store's current config. */
async function workspace(toml: string) {
  const root = tempDir('always-allow-');
  const ws = join(root, 'ws');
  mkdirSync(ws);
  const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  const file = join(ws, 'vtcode.toml');
  writeFileSync(file, toml);
  trustForTests(env, ws);
  const store = await createConfigStore(configFiles({ workspace: ws, env }));
  const parser = await createShellParser();
  const engine = (): PolicyEngine =>
    createPolicyEngine({
      config: store.current(),
      parser,
      workspace: ws,
      home: env.HOME,
      appDirs: [],
    });
  return { store, file, engine };
}

describe('always allow, exact scope', () => {
  it('allows that command and nothing more', async () => {
    const w = await workspace('[commands]\nallow_list = ["ls"]\n');
    try {
      expect(w.engine().decideCommand('git push origin feature').decision).toBe('prompt');
      await alwaysAllow(w.engine(), w.store, w.file, 'git push origin feature', 'exact');
      const engine = w.engine();
      expect(engine.decideCommand('git push origin feature').decision).toBe('allow');
      for (const attack of [
        'git push origin feature --force',
        'git push origin feature; rm x',
        'git push origin feature && rm x',
        'git push origin feature-2',
        'git push origin',
        "git push 'origin feature'",
      ]) {
        expect(engine.decideCommand(attack).decision, attack).not.toBe('allow');
      }
    } finally {
      w.store.close();
    }
  });

  it('keeps words apart and regex characters literal', async () => {
    const w = await workspace('');
    try {
      await alwaysAllow(w.engine(), w.store, w.file, "git commit -m 'x --amend'", 'exact');
      await alwaysAllow(w.engine(), w.store, w.file, 'echo a.b "(c)*"', 'exact');
      const engine = w.engine();
      expect(engine.decideCommand('git commit -m "x --amend"').decision).toBe('allow');
      expect(engine.decideCommand('git commit -m x --amend').decision).toBe('prompt');
      expect(engine.decideCommand('echo a.b "(c)*"').decision).toBe('allow');
      expect(engine.decideCommand('echo aXb "(c)*"').decision).toBe('prompt');
      expect(engine.decideCommand('echo a.b "(c)"').decision).toBe('prompt');
    } finally {
      w.store.close();
    }
  });
});

describe('always allow, subcommand scope', () => {
  it('covers plain arguments of that subcommand, never options or forced refs', async () => {
    const w = await workspace('');
    try {
      const r = await alwaysAllow(
        w.engine(),
        w.store,
        w.file,
        'git push origin feature',
        'subcommand',
      );
      expect(r.added).toEqual(['^git push( [A-Za-z0-9_@%,./~][A-Za-z0-9_@%,./~+:-]*)*$']);
      const engine = w.engine();
      for (const ok of ['git push origin feature', 'git push origin main', 'git push'])
        expect(engine.decideCommand(ok).decision, ok).toBe('allow');
      for (const attack of [
        'git push origin feature --force',
        'git push -f origin feature',
        'git push --receive-pack=./evil origin',
        'git push origin +feature',
        'git push origin :feature',
        'git -c core.sshCommand=evil push origin feature',
        'git push origin feature; rm x',
        "git push 'origin feature'",
        'git pull origin feature',
      ]) {
        expect(engine.decideCommand(attack).decision, attack).not.toBe('allow');
      }
    } finally {
      w.store.close();
    }
  });
});
