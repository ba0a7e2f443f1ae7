import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeLayers } from '../config/effective';
import { readLayer } from '../config/layer';
import { toolCatalog } from '../agent/tools/registry';
import { createPolicyEngine, type PolicyEngine } from './engine';
import { createShellParser, type ShellParser } from './shell-parser';
import { tempDir } from './test-helpers';

let parser: ShellParser;
const root = tempDir('vt-perms-');
const ws = join(root, 'ws');
const home = join(root, 'home');
const outside = join(root, 'outside');

beforeAll(async () => {
  parser = await createShellParser();
  for (const dir of [
    ws,
    home,
    outside,
    join(ws, 'docs'),
    join(ws, 'src', 'deep'),
    join(home, 'notes'),
  ])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(ws, 'docs', 'a.md'), 'a');
  writeFileSync(join(ws, 'src', 'main.ts'), 'x');
  writeFileSync(join(ws, 'src', 'deep', '.env'), 'SECRET=1');
  writeFileSync(join(outside, 'f.txt'), 'f');
  // In-workspace links: one to another folder of the workspace, one out of it.
  symlinkSync(join(ws, 'src'), join(ws, 'docs-link'));
  symlinkSync(outside, join(ws, 'ext'));
  // The workspace reached through a link (as macOS /var is): anchors take both names.
  symlinkSync(ws, join(root, 'ws-link'));
});

/** An engine over a workspace file (and a user file), trusted unless said otherwise. */
function engine(
  workspace: string,
  opts: { user?: string; trust?: 'trusted' | 'read_only' | null; at?: string } = {},
): PolicyEngine {
  const layers = [
    ...(opts.user !== undefined
      ? [readLayer(opts.user, { layer: 'user', file: join(home, 'vtcode.toml') })]
      : []),
    readLayer(workspace, { layer: 'workspace', file: join(ws, 'vtcode.toml') }),
  ];
  return createPolicyEngine({
    config: mergeLayers(layers, opts.trust === undefined ? {} : { trust: opts.trust }),
    parser,
    workspace: opts.at ?? ws,
    home,
    appDirs: [],
  });
}

const perms = (lists: Record<string, string[]>, extra = '') =>
  `${extra}[permissions]\n${Object.entries(lists)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join('\n')}\n`;

describe('shell rules', () => {
  it.each([
    [{ allow: ['exec_command(cargo check *)'] }, 'cargo check --all', 'allow'],
    [{ allow: ['exec_command(cargo check *)'] }, 'cargo check', 'prompt'],
    [{ allow: ['Bash(npm run test:*)'] }, 'npm run test', 'allow'],
    [{ allow: ['Bash(npm run test:*)'] }, 'npm run test -- --watch', 'allow'],
    [{ allow: ['Bash(npm run test:*)'] }, 'npm run testing', 'prompt'],
    [{ allow: ['bash(git status)'] }, 'git status && rm -rf x', 'prompt'],
    [{ allow: ['exec_command'] }, 'ls -la', 'allow'],
    [{ allow: ['exec_command'] }, "sed -i 's/a/b/' x", 'prompt'],
    [{ deny: ['exec_command(git push *)'] }, 'git push origin main', 'deny'],
    [
      { ask: ['exec_command(git commit *)'], allow: ['exec_command(git *)'] },
      'git commit -m x',
      'prompt',
    ],
    [{ deny: ['Bash(rm:*)'], allow: ['exec_command'] }, 'rm -rf build', 'deny'],
  ])('%j: %s is %s', (lists, command, decision) => {
    const d = engine(perms(lists)).decideCommand(command);
    expect(d.decision).toBe(decision);
  });

  it('names the rule and its file', () => {
    const d = engine(perms({ allow: ['exec_command(cargo check *)'] })).decideCommand(
      'cargo check',
    );
    expect(d.parts[0]?.rule).toBeTruthy();
    const ok = engine(perms({ allow: ['exec_command(cargo check *)'] })).decideCommand(
      'cargo check --all',
    );
    expect(ok.parts[0]?.rule).toEqual({
      kind: 'permission',
      entry: 'exec_command(cargo check *)',
      section: 'permissions.allow',
      source: { layer: 'workspace', file: join(ws, 'vtcode.toml') },
    });
    expect(ok.reason).toContain('the allow rule `exec_command(cargo check *)`');
  });

  it('a bare deny of the shell tool denies the tool and every command', () => {
    const e = engine(perms({ deny: ['bash'] }, '[tools.policies]\nexec_command = "allow"\n'));
    expect(e.decideTool('exec_command')).toMatchObject({
      decision: 'deny',
      rule: { kind: 'permission', section: 'permissions.deny' },
    });
    expect(e.decideCommand('ls').decision).toBe('deny');
  });
});

describe('tool rules', () => {
  it.each([
    [{ deny: ['write_stdin'] }, 'write_stdin', 'deny'],
    [{ deny: ['send_pty_input'] }, 'write_stdin', 'deny'],
    [{ allow: ['web_search'] }, 'web_search', 'allow'],
    [{ deny: ['read'] }, 'read_file', 'deny'],
    [{ deny: ['code_search'] }, 'list_files', 'deny'],
    [{ allow: ['apply_patch'] }, 'write_file', 'allow'],
    [{ ask: ['edit'] }, 'apply_patch', 'prompt'],
    [{ allow: ['webfetch'] }, 'web_fetch', 'allow'],
    [{ deny: ['mcp__context7'] }, 'mcp__context7__search-docs', 'deny'],
    [{ deny: ['mcp__context7__*'] }, 'mcp__context7__resolve', 'deny'],
    [{ allow: ['mcp__context7__search-docs'] }, 'mcp__context7__search-docs', 'allow'],
    [{ allow: ['mcp__context7__search-docs'] }, 'mcp__context7__resolve', 'prompt'],
    [{ allow: ['mcp__context7'] }, 'mcp__other__search', 'prompt'],
    [{ deny: ['mcp'] }, 'mcp__any__thing', 'deny'],
    [{ allow: ['frobnicate'] }, 'frobnicate', 'allow'],
  ])('%j: %s is %s', (lists, tool, decision) => {
    expect(engine(perms(lists)).decideTool(tool).decision).toBe(decision);
  });

  it.each([
    // deny > ask > allow, over [tools.policies] and the rules alike.
    [
      '[tools.policies]\napply_patch = "allow"\n',
      { deny: ['apply_patch'] },
      'deny',
      'permissions.deny',
    ],
    [
      '[tools.policies]\napply_patch = "deny"\n',
      { allow: ['apply_patch'] },
      'deny',
      'tools.policies',
    ],
    [
      '[tools.policies]\napply_patch = "allow"\n',
      { ask: ['apply_patch'] },
      'prompt',
      'permissions.ask',
    ],
    [
      '[tools.policies]\napply_patch = "prompt"\n',
      { allow: ['apply_patch'] },
      'prompt',
      'tools.policies',
    ],
    ['', { allow: ['apply_patch'], ask: ['edit'], deny: [] }, 'prompt', 'permissions.ask'],
    ['', { allow: ['apply_patch'], ask: ['edit'], deny: ['write'] }, 'deny', 'permissions.deny'],
    [
      '[tools]\ndefault_policy = "deny"\n',
      { allow: ['apply_patch'] },
      'allow',
      'permissions.allow',
    ],
  ])('%s + %j decides %s by %s', (extra, lists, decision, section) => {
    const d = engine(perms(lists, extra)).decideTool('apply_patch');
    expect(d.decision).toBe(decision);
    expect(d.rule?.section).toBe(section);
  });

  it('shows the rule on the matrix row it decides', () => {
    const rows = engine(perms({ deny: ['apply_patch'] })).snapshot(toolCatalog()).tools.matrix;
    expect(rows.find((r) => r.tool === 'edit_file')).toMatchObject({
      decision: 'deny',
      permission: { list: 'deny', entry: 'apply_patch' },
      key: null,
    });
    expect(rows.find((r) => r.tool === 'exec_command')?.permission).toBeNull();
  });
});

describe('path rules', () => {
  const write = (lists: Record<string, string[]>, path: string, at?: string) =>
    engine(perms(lists), at ? { at } : {}).decidePath(path, 'write');
  const read = (lists: Record<string, string[]>, path: string) =>
    engine(perms(lists)).decidePath(path, 'read');

  it.each([
    [{ allow: ['apply_patch(/docs/**)'] }, 'docs/a.md', 'allow'],
    [{ allow: ['apply_patch(/docs/**)'] }, 'docs/new/b.md', 'allow'],
    [{ allow: ['apply_patch(/docs/**)'] }, 'src/main.ts', 'prompt'],
    [{ allow: ['apply_patch(/docs)'] }, 'docs/a.md', 'allow'],
    [{ allow: ['edit(./docs/*.md)'] }, 'docs/a.md', 'allow'],
    [{ allow: ['edit(./docs/*.md)'] }, 'docs/new/b.md', 'prompt'],
    [{ allow: ['edit(docs/**)'] }, './docs/../docs/a.md', 'allow'],
    [{ allow: ['write(*.md)'] }, 'src/deep/notes.md', 'allow'],
    [{ allow: ['write(src/**/*.ts)'] }, 'src/deep/x.ts', 'allow'],
    [{ allow: ['write(src/**/*.ts)'] }, 'src/main.ts', 'allow'],
    [{ allow: ['write(src/**/*.ts)'] }, 'src/main.js', 'prompt'],
    [{ allow: ['write(src/[a-m]*.ts)'] }, 'src/main.ts', 'allow'],
    [{ allow: ['write(src/[!a-m]*.ts)'] }, 'src/main.ts', 'prompt'],
    [{ allow: ['write(//' + ws.slice(1) + '/docs/**)'] }, 'docs/a.md', 'allow'],
    [{ deny: ['apply_patch(/docs/**)'] }, 'docs/a.md', 'deny'],
    [{ deny: ['write(/)'] }, 'src/main.ts', 'deny'],
    [{ ask: ['edit(/docs/**)'], allow: ['write'] }, 'docs/a.md', 'prompt'],
    [{ deny: ['edit(/docs/**)'], allow: ['edit(/docs/**)'] }, 'docs/a.md', 'deny'],
    // Read rules do not decide writes, nor write rules reads.
    [{ deny: ['read(/docs/**)'] }, 'docs/a.md', 'prompt'],
  ])('%j: write %s is %s', (lists, path, decision) => {
    expect(write(lists, path).decision).toBe(decision);
  });

  it('names the path rule that decided, with its file', () => {
    const d = write({ allow: ['apply_patch(/docs/**)'] }, 'docs/a.md');
    expect(d.rule).toMatchObject({ kind: 'permission', entry: 'apply_patch(/docs/**)' });
    expect(d.reason).toContain('allowed by the allow rule `apply_patch(/docs/**)`');
  });

  it.each([
    [{ deny: ['read(.env)'] }, 'src/deep/.env', 'deny'],
    [{ deny: ['read(/src/**)'] }, 'src/main.ts', 'deny'],
    [{ ask: ['read(./src/**)'] }, 'src/main.ts', 'prompt'],
    [{ deny: ['code_search(/src)'] }, 'src/deep', 'deny'],
    [{ deny: ['read(~/notes/**)'] }, 'src/main.ts', 'allow'],
    [{ deny: ['apply_patch(/src/**)'] }, 'src/main.ts', 'allow'],
  ])('%j: read %s is %s', (lists, path, decision) => {
    expect(read(lists, path).decision).toBe(decision);
  });

  it('matches on the real path: a link into src is src', () => {
    // docs-link -> src: an allow for docs-link/ does not carry to src, a deny for src/ holds.
    expect(write({ allow: ['edit(/docs-link/**)'] }, 'docs-link/main.ts').decision).toBe('prompt');
    expect(write({ deny: ['edit(/src/**)'] }, 'docs-link/main.ts')).toMatchObject({
      decision: 'deny',
      resolved: join(ws, 'src', 'main.ts'),
    });
    // A deny also holds on the name as written.
    expect(write({ deny: ['edit(/docs-link/**)'] }, 'docs-link/main.ts').decision).toBe('deny');
  });

  it('never lets an allow rule reach outside the workspace, through a link or not', () => {
    const lists = { allow: ['read(/ext/**)', `read(/${outside}/**)`, 'edit(//**)'] };
    expect(read(lists, 'ext/f.txt')).toMatchObject({
      decision: 'deny',
      resolved: join(outside, 'f.txt'),
    });
    expect(read(lists, join(outside, 'f.txt')).decision).toBe('deny');
    expect(write(lists, 'ext/f.txt').decision).toBe('deny');
    expect(write(lists, '../outside/f.txt').decision).toBe('deny');
  });

  it('never loosens a protected or secret file', () => {
    expect(write({ allow: ['write(/)', 'edit(.git/**)'] }, '.git/config').decision).toBe('deny');
    expect(read({ allow: ['read(.env)'] }, 'src/deep/.env').decision).toBe('prompt');
    expect(write({ allow: ['write(/)'] }, 'src/deep/.env').decision).toBe('prompt');
  });

  it('keeps an explicit prompt of the tool, and its deny', () => {
    const e = (extra: string) =>
      engine(perms({ allow: ['apply_patch(/docs/**)'] }, extra)).decidePath('docs/a.md', 'write');
    expect(e('[tools.policies]\nwrite_file = "prompt"\n').decision).toBe('prompt');
    expect(e('[tools.policies]\nwrite_file = "deny"\n').decision).toBe('deny');
    expect(e('[tools]\ndefault_policy = "prompt"\n').decision).toBe('allow');
    // A default is only a default: the rule naming the path is more specific.
    expect(e('[tools]\ndefault_policy = "deny"\n').decision).toBe('allow');
    expect(
      engine(
        perms({ ask: ['apply_patch(/docs/**)'] }, '[tools]\ndefault_policy = "deny"\n'),
      ).decidePath('docs/a.md', 'write').decision,
    ).toBe('prompt');
  });

  it('anchors /path at the workspace under both of its names', () => {
    const viaLink = join(root, 'ws-link');
    expect(write({ allow: ['apply_patch(/docs/**)'] }, 'docs/a.md', viaLink).decision).toBe(
      'allow',
    );
    expect(
      write(
        { allow: [`edit(/${join(viaLink, 'docs').slice(1)}/**)`.replace('/', '//')] },
        'docs/a.md',
        viaLink,
      ).decision,
    ).toBe('allow');
  });
});

describe('host rules', () => {
  it.each([
    [
      { allow: ['WebFetch(domain:example.com)'] },
      'https://api.example.com/x',
      'allow',
      'permissions.allow',
    ],
    [
      { deny: ['WebFetch(domain:example.com)'] },
      'http://EXAMPLE.com./',
      'deny',
      'permissions.deny',
    ],
    [
      { ask: ['webfetch(domain:*.example.com)'] },
      'https://a.example.com',
      'prompt',
      'permissions.ask',
    ],
    // No rule names the host: the network policy decides (not on the allow-list: ask).
    [
      { ask: ['webfetch(domain:*.example.com)'] },
      'https://example.com',
      'prompt',
      'sandbox.network',
    ],
    [
      { allow: ['WebFetch(domain:example.com)'] },
      'https://example.com.evil.net/',
      'prompt',
      'sandbox.network',
    ],
    [
      { deny: ['WebFetch(domain:example.com)'], allow: ['WebFetch(domain:example.com)'] },
      'https://example.com',
      'deny',
      'permissions.deny',
    ],
    [{}, 'not a url', 'deny', null],
  ])('%j: %s is %s', (lists, url, decision, section) => {
    const d = engine(perms(lists)).decideUrl(url);
    expect(d.decision).toBe(decision);
    expect(d.rule?.section ?? null).toBe(section);
  });
});

describe('files and trust', () => {
  it('joins deny and ask across files; allow is the workspace file’s', () => {
    const e = engine(perms({ allow: ['exec_command(make *)'], ask: ['exec_command(git *)'] }), {
      user: perms({
        allow: ['exec_command(ls *)'],
        deny: ['exec_command(curl *)'],
        ask: ['exec_command(npm *)'],
      }),
    });
    expect(e.decideCommand('make all').decision).toBe('allow');
    expect(e.decideCommand('ls -la').decision).toBe('prompt');
    expect(e.decideCommand('curl x').decision).toBe('deny');
    expect(e.decideCommand('npm ci').decision).toBe('prompt');
    expect(e.decideCommand('git log').decision).toBe('prompt');
  });

  it('an untrusted workspace file only tightens: its ask and deny apply, its allow does not', () => {
    const e = engine(
      perms({
        allow: ['exec_command(make *)', 'read'],
        ask: ['exec_command(ls *)'],
        deny: ['exec_command(cat *)', 'read(/src/**)'],
      }),
      { user: perms({ allow: ['exec_command(ls *)', 'exec_command(cat *)'] }), trust: null },
    );
    expect(e.decideCommand('make all').decision).toBe('prompt');
    expect(e.decideCommand('ls -la').decision).toBe('prompt');
    expect(e.decideCommand('cat x').decision).toBe('deny');
    expect(e.decidePath('src/main.ts', 'read').decision).toBe('deny');
    expect(
      e.config.issues.some((i) => i.key === 'permissions.allow' && /not trusted/.test(i.message)),
    ).toBe(true);
  });

  it('reads an auto list as ask, and says so', () => {
    const e = engine(
      perms({ auto: ['apply_patch', 'exec_command(git *)'], allow: ['exec_command(git *)'] }),
    );
    expect(e.decideTool('apply_patch')).toMatchObject({
      decision: 'prompt',
      rule: { section: 'permissions.auto' },
    });
    expect(e.decideCommand('git status').decision).toBe('prompt');
    expect(e.config.issues).toContainEqual(
      expect.objectContaining({
        key: 'permissions.auto',
        severity: 'warning',
        message: expect.stringMatching(/read as ask/) as unknown,
      }),
    );
  });

  it('leaves VT Code’s [permissions.auto] table alone', () => {
    const e = engine(
      '[permissions]\nallow = ["read"]\n[permissions.auto]\nmodel = "x"\nmax_total_denials = 3\n',
    );
    expect(e.config.issues).toEqual([]);
    expect(e.config.permissions.auto).toEqual([]);
  });

  it('warns about each rule that does not parse, by key and index, and ignores it', () => {
    const e = engine(perms({ allow: ['read', 'Bash(rm', 'frob'], deny: ['WebFetch(x)'] }));
    const warnings = e.config.issues.map((i) => [i.key, i.severity, i.message]);
    expect(warnings).toEqual([
      [
        'permissions.allow[1]',
        'warning',
        expect.stringMatching(/"Bash\(rm" is ignored: .*end with/),
      ],
      ['permissions.allow[2]', 'warning', expect.stringMatching(/not a tool/)],
      ['permissions.deny[0]', 'warning', expect.stringMatching(/domain:HOST/)],
    ]);
    expect(e.config.issues.every((i) => i.line === 2 || i.line === 3)).toBe(true);
    const entries = e.snapshot(toolCatalog()).permissions;
    expect(entries.find((p) => p.entry === 'Bash(rm')).toMatchObject({
      ignored: true,
      list: 'allow',
    });
    expect(entries.find((p) => p.entry === 'frob')).toMatchObject({ ignored: false });
    expect(e.decideCommand('rm -rf x').decision).toBe('prompt');
  });
});
