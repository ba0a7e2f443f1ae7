import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { alwaysAllow, AlwaysAllowError, deriveAlwaysAllowRules } from '../policy/always-allow';
import { createPolicyEngine } from '../policy/engine';
import { createShellParser } from '../policy/shell-parser';
import { configFiles, loadConfig } from './config-loader';
import { trustForTests } from '../workspace/trust-testing';
import { createConfigStore } from './config-store';
import { runnerSettings } from './effective';
import { readLayer } from './layer';
import { setTomlValue } from './toml-text';

async function setup(user: string | null, workspace: string | null) {
  const root = await mkdtemp(join(tmpdir(), 'vtcfg-'));
  const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  const ws = join(root, 'ws');
  mkdirSync(ws);
  mkdirSync(join(root, 'app', 'config'), { recursive: true });
  const userFile = join(root, 'app', 'config', 'vtcode.toml');
  const wsFile = join(ws, 'vtcode.toml');
  if (user !== null) writeFileSync(userFile, user);
  if (workspace !== null) writeFileSync(wsFile, workspace);
  trustForTests(env, ws);
  return { root, env, ws, userFile, wsFile, files: configFiles({ workspace: ws, env }) };
}

const issuesOf = (text: string) =>
  readLayer(text, { layer: 'workspace', file: '/w/vtcode.toml' }).issues;

describe('validation', () => {
  it.each([
    ['[tools\ndefault_policy = "allow"', null, 1],
    ['[tools]\ndefault_policy = "maybe"', 'tools.default_policy', 2],
    ['[tools]\n\n\ndefault_policy = 3', 'tools.default_policy', 4],
    ['[tools.policies]\nread_file = "sometimes"', 'tools.policies.read_file', 2],
    ['[commands]\ndeny_regex = ["(unclosed"]', 'commands.deny_regex', 2],
    ['[commands]\nallow_list = "git status"', 'commands.allow_list', 2],
    ['[commands]\nallow_list = [1, 2]', 'commands.allow_list', 2],
    ['[commands]\nallow_list = [""]', 'commands.allow_list', 2],
    ['[security]\nhuman_in_the_loop = "yes"', 'security.human_in_the_loop', 2],
    ['[sandbox]\ndefault_policy = "open"', 'sandbox.default_policy', 2],
    ['[sandbox]\ndefault_mode = "open"', 'sandbox.default_mode', 2],
    ['[sandbox.network]\npolicy = "some"', 'sandbox.network.policy', 2],
    [
      '[sandbox.network]\nallowlist = [{ domain = "a b", port = 443 }]',
      'sandbox.network.allowlist',
      2,
    ],
    [
      '[sandbox.network]\nallowlist = [{ domain = "x.com", port = 70000 }]',
      'sandbox.network.allowlist',
      2,
    ],
    ['[pty]\ndefault_rows = -1', 'pty.default_rows', 2],
    ['[timeouts]\ndefault_ceiling_seconds = 1.5', 'timeouts.default_ceiling_seconds', 2],
    ['[context]\ntrim_to_percent = 101', 'context.trim_to_percent', 2],
    ['tools = 1', 'tools.default_policy', null],
    ['a = 1\na = 2', null, 2],
    ['[tools.policies]\n__proto__ = "allow"', null, null],
  ])('%j gives an error at %s line %s', (text, key, line) => {
    const issues = issuesOf(text);
    expect(issues.length).toBeGreaterThan(0);
    const first = issues[0];
    expect(first?.file).toBe('/w/vtcode.toml');
    expect(first?.message).not.toBe('');
    if (key !== null && key !== 'tools.default_policy') expect(first?.key).toBe(key);
    if (line !== null && key !== 'tools.default_policy') expect(first?.line).toBe(line);
  });

  it('accepts every documented key and older spellings', () => {
    const layer = readLayer(
      `[tools]\ndefault_policy = "deny"\nmax_tool_loops = 10\n[tools.policies]\nrun_pty_cmd = "allow"\n` +
        `[commands]\nallow_list = ["ls"]\n[security]\nhuman_in_the_loop = true\n` +
        `[sandbox]\nenabled = true\ndefault_mode = "workspace_write"\n[sandbox.network]\nallow_all = false\nblock_all = true\n` +
        `[sandbox.sensitive_paths]\nuse_defaults = true\nadditional = ["~/x"]\n[timeouts]\npty_ceiling_seconds = 9\n` +
        `[pty]\nmax_sessions = 3\n[agent]\nprovider = "openai"\ntemperature = 0.2\n[context]\nmax_context_tokens = 1000\n` +
        `[mcp]\nenabled = true\n[some_future_section]\nkey = 1\n`,
      { layer: 'user', file: '/u/vtcode.toml' },
    );
    expect(layer.issues).toEqual([]);
    expect(layer.values.get('tools.policies.exec_command')?.value).toBe('allow');
    expect(layer.values.get('sandbox.default_policy')).toMatchObject({
      value: 'workspace_write',
      writtenKey: 'sandbox.default_mode',
    });
    expect(layer.values.get('sandbox.network.policy')?.value).toBe('block_all');
  });
});

describe('loading and merging', () => {
  it('lets the workspace override the user file key by key, with provenance', async () => {
    const s = await setup(
      '[tools]\ndefault_policy = "deny"\nmax_tool_loops = 7\n[commands]\nallow_list = ["ls"]\ndeny_list = ["rm"]\n[tools.policies]\nexec_command = "allow"\n',
      '[tools]\ndefault_policy = "prompt"\n[commands]\nallow_list = ["git status"]\ndeny_list = ["shutdown"]\n[tools.policies]\nrun_pty_cmd = "deny"\n',
    );
    const { config, ok } = await loadConfig(s.files);
    expect(ok).toBe(true);
    expect(config.tools.defaultPolicy).toMatchObject({
      value: 'prompt',
      source: { layer: 'workspace', file: s.wsFile },
    });
    expect(config.tools.maxToolLoops).toMatchObject({
      value: 7,
      source: { layer: 'user', file: s.userFile },
    });
    expect(config.commands.allow_list.map((e) => e.entry)).toEqual(['git status']);
    // Denials are joined: a workspace file cannot drop the user's.
    expect(config.commands.deny_list.map((e) => [e.entry, e.source.layer])).toEqual([
      ['rm', 'user'],
      ['shutdown', 'workspace'],
    ]);
    expect(config.tools.policies.get('exec_command')).toMatchObject({
      value: 'deny',
      key: 'tools.policies.run_pty_cmd',
    });
  });

  it('ignores a workspace file that tries to switch off sensitive paths', async () => {
    const s = await setup(
      null,
      '[sandbox.sensitive_paths]\nuse_defaults = false\nexceptions = ["~/.ssh"]\n',
    );
    const { config } = await loadConfig(s.files);
    expect(config.sandbox.sensitivePaths.useDefaults).toBe(true);
    expect(config.issues.some((i) => i.severity === 'warning')).toBe(true);
  });

  it('exports typed runner settings with defaults', async () => {
    const s = await setup('[pty]\ndefault_cols = 120\n[sandbox]\nenabled = true\n', null);
    const { config } = await loadConfig(s.files);
    const runner = runnerSettings(config);
    expect(runner.pty.defaultCols).toBe(120);
    expect(runner.pty.defaultRows).toBe(24);
    // A trusted folder with no sandbox mode set: commands may write inside it.
    expect(runner.sandbox).toMatchObject({
      enabled: true,
      defaultPolicy: 'workspace_write',
      network: { policy: 'allowlist_only' },
    });
    expect(runner.timeouts.defaultCeilingSeconds).toBe(180);
  });

  it('reports a missing --config file', async () => {
    const { ok, config } = await loadConfig(
      configFiles({ workspace: null, explicit: '/nonexistent/vtcode.toml' }),
    );
    expect(ok).toBe(false);
    expect(config.issues[0]?.message).toContain('does not exist');
  });
});

describe('store', () => {
  it('keeps the previous valid config when the file turns bad, and picks up external edits', async () => {
    const s = await setup(null, '[tools]\ndefault_policy = "allow"\n');
    const store = await createConfigStore(s.files, { debounceMs: 20 });
    try {
      store.watch();
      expect(store.current().tools.defaultPolicy.value).toBe('allow');
      const changes: boolean[] = [];
      store.subscribe((c) => changes.push(c.applied));

      writeFileSync(s.wsFile, '[tools\ndefault_policy = "deny"');
      await expect.poll(() => changes.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(store.current().tools.defaultPolicy.value).toBe('allow');
      expect(store.issues()[0]).toMatchObject({ file: s.wsFile, line: 1 });

      writeFileSync(s.wsFile, '[tools]\ndefault_policy = "deny"\n');
      await expect
        .poll(() => store.current().tools.defaultPolicy.value, { timeout: 5000 })
        .toBe('deny');
    } finally {
      store.close();
    }
  });

  it('saves atomically and keeps unknown sections, keys and comments', async () => {
    const original =
      '# shared with VT Code\n[agent]\nprovider = "anthropic" # inline comment\n\n[commands]\n# approved\napproval_prefixes = [\n  "git status",\n]\nallow_list = ["ls"]\n\n[mcp]\nenabled = true\n[[mcp.providers]]\nname = "x"\ncommand = "y"\n';
    const s = await setup(null, original);
    const store = await createConfigStore(s.files);
    try {
      const engine = createPolicyEngine({
        config: store.current(),
        parser: await createShellParser(),
        workspace: s.ws,
        home: s.env.HOME,
        appDirs: [],
      });
      const result = await alwaysAllow(
        engine,
        store,
        s.wsFile,
        'npm run lint && git status',
        'subcommand',
      );
      const rule = '^npm run( [A-Za-z0-9_@%,./~][A-Za-z0-9_@%,./~+:-]*)*$';
      expect(result).toEqual({ list: 'allow_regex', added: [rule], file: s.wsFile });
      const text = readFileSync(s.wsFile, 'utf8');
      expect(text).toContain('# shared with VT Code');
      expect(text).toContain('# inline comment');
      const doc = parse(text) as Record<string, Record<string, unknown>>;
      expect(doc.commands?.approval_prefixes).toEqual(['git status']);
      expect(doc.commands?.allow_regex).toEqual([rule]);
      expect(doc.commands?.allow_list).toEqual(['ls']);
      expect(doc.mcp).toEqual({ enabled: true, providers: [{ name: 'x', command: 'y' }] });
      expect(readdirSync(s.ws).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      expect(store.current().commands.allow_regex.map((e) => e.entry)).toContain(rule);
    } finally {
      store.close();
    }
  });

  it('refuses to save over a file that does not parse', async () => {
    const s = await setup(null, '[commands\n');
    const store = await createConfigStore(s.files);
    await expect(
      store.setValue(s.wsFile, 'commands', 'approval_prefixes', ['x y']),
    ).rejects.toThrow(/line 1/);
    expect(readFileSync(s.wsFile, 'utf8')).toBe('[commands\n');
    store.close();
  });
});

describe('setTomlValue', () => {
  it.each([
    ['', '[commands]\napproval_prefixes = [ "a b" ]\n'],
    ['[commands]\nallow_list = ["x"]\n', null],
    ['# c\n[tools]\ndefault_policy = "allow"\n', null],
    ['[commands]\napproval_prefixes = ["old"] # keep?\n', null],
  ])('sets the value in %j', (text, exact) => {
    const out = setTomlValue(text, 'commands', 'approval_prefixes', ['a b']);
    expect(
      (parse(out) as { commands: { approval_prefixes: string[] } }).commands.approval_prefixes,
    ).toEqual(['a b']);
    if (exact !== null) expect(out).toBe(exact);
    if (text.includes('# c')) expect(out).toContain('# c');
  });
});

describe('always allow', () => {
  it('derives the narrowest rule and refuses denied or hazardous commands', async () => {
    const s = await setup(null, '[commands]\ndeny_glob = ["rm *"]\nallow_list = ["ls"]\n');
    const { config } = await loadConfig(s.files);
    const engine = createPolicyEngine({
      config,
      parser: await createShellParser(),
      workspace: s.ws,
      home: s.env.HOME,
      appDirs: [],
    });
    const entries = (command: string, scope: 'exact' | 'subcommand') =>
      deriveAlwaysAllowRules(engine, command, scope).map((r) => r.entry);
    expect(entries('git commit -m "fix it"', 'exact')).toEqual(["^git commit -m 'fix it'$"]);
    expect(entries('echo "a.b" "(x)|[y]*"', 'exact')).toEqual([
      '^echo a\\.b \\(x\\)\\|\\[y\\]\\*$',
    ]);
    // Options are never covered by the subcommand scope, so it cannot cover this command.
    expect(() => entries('git commit -m "fix it"', 'subcommand')).toThrow(/--force|options/);
    expect(entries('ls && cargo build', 'subcommand')).toEqual([
      '^cargo build( [A-Za-z0-9_@%,./~][A-Za-z0-9_@%,./~+:-]*)*$',
    ]);
    expect(() => entries('ls && cargo build --release', 'subcommand')).toThrow(AlwaysAllowError);
    expect(() => entries('npm install left-pad', 'subcommand')).toThrow(/install or run/);
    expect(() => entries('npx tsx script.ts', 'subcommand')).toThrow(/install or run/);
    // Refused either for having no subcommand or, first, for an option that runs code.
    expect(() => entries('git -c core.pager=x log', 'subcommand')).toThrow(AlwaysAllowError);
    expect(() => entries('find . -exec touch {} ;', 'subcommand')).toThrow(AlwaysAllowError);
    expect(() => deriveAlwaysAllowRules(engine, 'ls; rm -rf x', 'exact')).toThrow(AlwaysAllowError);
    expect(() => deriveAlwaysAllowRules(engine, 'eval x', 'exact')).toThrow(AlwaysAllowError);
    // An exact rule for a bare program allows the bare program only.
    expect(entries('make', 'exact')).toEqual(['^make$']);
    expect(() => deriveAlwaysAllowRules(engine, 'terraform', 'subcommand')).toThrow(
      AlwaysAllowError,
    );
  });
});
