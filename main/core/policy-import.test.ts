import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { resolveAppPaths } from '../platform/paths';
import { trustForTests } from '../workspace/trust-testing';
import { importApply, importPreview } from './policy-import';
import { PolicyService, type WorkspacePolicy } from './policy-service';

let root: string;
let home: string;
let workspace: string;
let service: PolicyService;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'perm-import-'));
  home = join(root, 'home');
  workspace = join(home, 'proj');
  await mkdir(join(workspace, '.claude'), { recursive: true });
  await mkdir(join(home, '.claude'), { recursive: true });
  await mkdir(join(home, '.codex', 'rules'), { recursive: true });
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
  trustForTests(env, workspace);
  service = new PolicyService({
    paths: resolveAppPaths(env, 'linux'),
    env,
    logger: createLogger({ level: 'error' }),
  });
});

afterEach(async () => {
  await service.close();
});

const settings = (permissions: object) => JSON.stringify({ permissions }, null, 2);

async function open(): Promise<WorkspacePolicy> {
  return service.forWorkspace(workspace);
}

describe('import preview', () => {
  it('finds Claude Code’s three files and maps their rules, marking what is there already', async () => {
    await writeFile(
      join(workspace, 'vtcode.toml'),
      '[permissions]\nallow = ["exec_command(git status)"]\n',
    );
    await writeFile(
      join(workspace, '.claude', 'settings.json'),
      settings({ allow: ['Bash(git status)', 'Bash(npm run test:*)'] }),
    );
    await writeFile(
      join(workspace, '.claude', 'settings.local.json'),
      settings({ deny: ['Read(.env)'] }),
    );
    await writeFile(
      join(home, '.claude', 'settings.json'),
      settings({ ask: ['WebFetch'], defaultMode: 'acceptEdits' }),
    );
    const preview = await importPreview(await open(), {
      from: 'claude',
      source: { kind: 'detect' },
    });
    expect(preview.files.map((f) => [f.path, f.status])).toEqual([
      [join(workspace, '.claude', 'settings.json'), 'read'],
      [join(workspace, '.claude', 'settings.local.json'), 'read'],
      [join(home, '.claude', 'settings.json'), 'read'],
    ]);
    expect(preview.rows.map((r) => [r.source, r.status])).toEqual([
      ['Bash(git status)', 'duplicate'],
      ['Bash(npm run test:*)', 'new'],
      ['Read(.env)', 'new'],
      ['WebFetch', 'new'],
      ['"acceptEdits"', 'not-mapped'],
    ]);
    expect(preview.rows[0]?.why).toMatch(/already there: .*vtcode\.toml/);
    expect(preview.edits).toEqual([
      {
        kind: 'permission-rules',
        list: 'allow',
        value: [
          'exec_command(git status)',
          'exec_command(npm run test)',
          'exec_command(npm run test *)',
        ],
      },
      { kind: 'permission-rules', list: 'ask', value: ['webfetch'] },
      { kind: 'permission-rules', list: 'deny', value: ['read(.env)'] },
    ]);
    // Nothing was written.
    expect(await readFile(join(workspace, 'vtcode.toml'), 'utf8')).toBe(
      '[permissions]\nallow = ["exec_command(git status)"]\n',
    );
  });

  it('finds Codex rule files and reads pasted text', async () => {
    await writeFile(
      join(home, '.codex', 'rules', 'default.rules'),
      'prefix_rule(pattern = ["ls"])\n',
    );
    await writeFile(join(home, '.codex', 'rules', 'notes.txt'), 'not a rules file');
    const policy = await open();
    const detected = await importPreview(policy, { from: 'codex', source: { kind: 'detect' } });
    expect(detected.files.map((f) => f.path)).toEqual([
      join(home, '.codex', 'rules', 'default.rules'),
    ]);
    expect(detected.rows[0]?.changes.map((c) => c.entry)).toEqual([
      'exec_command(ls)',
      'exec_command(ls *)',
    ]);
    const pasted = await importPreview(policy, {
      from: 'codex',
      source: { kind: 'text', text: 'prefix_rule(pattern = ["pwd"], decision = "forbidden")' },
    });
    expect(pasted.rows[0]).toMatchObject({ file: null, where: 'line 1', status: 'new' });
  });

  it('says when nothing was found', async () => {
    const preview = await importPreview(await open(), {
      from: 'codex',
      source: { kind: 'detect' },
    });
    expect(preview.rows).toEqual([]);
    expect(preview.notes.join(' ')).toMatch(/No rule files were found/);
  });

  it('reads only files it expects, and never through a link out of their folder', async () => {
    const secret = join(root, 'elsewhere.json');
    await writeFile(secret, settings({ allow: ['Bash'] }));
    await symlink(secret, join(workspace, '.claude', 'settings.json'));
    // A link in the home folder to a dotfiles checkout is fine; one to a secret is not.
    await mkdir(join(home, 'dotfiles'));
    await writeFile(join(home, 'dotfiles', 'claude.json'), settings({ deny: ['Bash(curl:*)'] }));
    await symlink(join(home, 'dotfiles', 'claude.json'), join(home, '.claude', 'settings.json'));
    await mkdir(join(home, '.ssh'));
    await writeFile(join(home, '.ssh', 'config'), 'Host x');
    await writeFile(join(workspace, '.claude', 'settings.local.json'), 'x'.repeat(1024 * 1024 + 1));
    const policy = await open();
    const preview = await importPreview(policy, { from: 'claude', source: { kind: 'detect' } });
    expect(preview.files.map((f) => [f.status, f.problem])).toEqual([
      ['refused', expect.stringMatching(/link to .*outside/)],
      ['refused', expect.stringMatching(/larger than 1 MB/)],
      ['read', null],
    ]);
    expect(preview.rows.map((r) => r.source)).toEqual(['Bash(curl:*)']);
    await expect(
      importPreview(policy, { from: 'claude', source: { kind: 'file', path: secret } }),
    ).rejects.toThrow(/not one of the files Claude Code keeps its rules in/);
    await expect(
      importPreview(policy, {
        from: 'claude',
        source: { kind: 'file', path: join(home, '.ssh', 'config') },
      }),
    ).rejects.toThrow(/not one of the files/);
    await writeFile(join(home, '.codex', 'rules', 'x.rules'), '');
    await symlink(join(home, '.ssh', 'config'), join(home, '.codex', 'rules', 'y.rules'));
    const codex = await importPreview(policy, { from: 'codex', source: { kind: 'detect' } });
    expect(codex.files.map((f) => [f.status, f.problem])).toEqual([
      ['read', null],
      ['refused', expect.stringMatching(/sensitive path/)],
    ]);
    expect(JSON.stringify(codex)).not.toContain('Host x');
  });

  it('notes that an untrusted folder ignores the allow rules it would get', async () => {
    await service.close();
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
    service = new PolicyService({
      paths: resolveAppPaths(env, 'linux'),
      env,
      logger: createLogger({ level: 'error' }),
    });
    const other = join(root, 'untrusted');
    await mkdir(other);
    const policy = await service.forWorkspace(other);
    const preview = await importPreview(policy, {
      from: 'claude',
      source: { kind: 'text', text: settings({ allow: ['Bash(ls)'] }) },
    });
    expect(preview.notes.join(' ')).toMatch(/not trusted/);
  });
});

describe('import apply', () => {
  it('adds only the chosen rows, keeping the file’s own rules and comments', async () => {
    await writeFile(
      join(workspace, 'vtcode.toml'),
      '# mine\n[permissions]\ndeny = ["bash(curl *)"]\n',
    );
    const text = settings({ allow: ['Bash(npm test)', 'Bash'], deny: ['Read(.env)'] });
    const policy = await open();
    const preview = await importPreview(policy, { from: 'claude', source: { kind: 'text', text } });
    expect(preview.rows[1]?.warning).toMatch(/runs any command/);
    const chosen = [preview.rows[0]?.id ?? '', preview.rows[2]?.id ?? ''];
    const snapshot = await importApply(policy, {
      from: 'claude',
      source: { kind: 'text', text },
      target: 'workspace',
      accept: chosen,
    });
    const written = await readFile(join(workspace, 'vtcode.toml'), 'utf8');
    expect(written.startsWith('# mine\n')).toBe(true);
    expect(parse(written)).toEqual({
      permissions: { deny: ['bash(curl *)', 'read(.env)'], allow: ['exec_command(npm test)'] },
    });
    expect(snapshot.permissions.map((p) => p.entry)).toContain('exec_command(npm test)');
    expect((await policy.check({ command: 'npm test' })).decision).toBe('allow');
    expect((await policy.check({ command: 'npm ci' })).decision).toBe('prompt');
  });

  it('writes the user file when asked', async () => {
    const text = 'prefix_rule(pattern = ["make"], decision = "prompt")';
    const policy = await open();
    const preview = await importPreview(policy, {
      from: 'codex',
      source: { kind: 'text', text },
      target: 'user',
    });
    await importApply(policy, {
      from: 'codex',
      source: { kind: 'text', text },
      target: 'user',
      accept: preview.rows.map((r) => r.id),
    });
    const userFile = join(home, '.config', 'vtcode-desktop', 'vtcode.toml');
    expect(parse(await readFile(userFile, 'utf8'))).toEqual({
      permissions: { ask: ['exec_command(make)', 'exec_command(make *)'] },
    });
  });

  it.each([
    ['an id the preview does not have', () => ['0123456789abcdef'], /not in the preview/],
    [
      'a row that maps to nothing',
      (ids: string[]) => [ids[1] ?? ''],
      /add nothing.*permissions\.allow\[1\]/,
    ],
    ['a duplicate row', (ids: string[]) => [ids[2] ?? ''], /add nothing.*already there/],
  ])('refuses %s and writes nothing', async (_name, pick, why) => {
    await writeFile(join(workspace, 'vtcode.toml'), '[permissions]\ndeny = ["read(.env)"]\n');
    const text = settings({ allow: ['Bash(ls)', 'Grep'], deny: ['Read(.env)'] });
    const policy = await open();
    const ids = (
      await importPreview(policy, { from: 'claude', source: { kind: 'text', text } })
    ).rows.map((r) => r.id);
    await expect(
      importApply(policy, {
        from: 'claude',
        source: { kind: 'text', text },
        target: 'workspace',
        accept: pick(ids),
      }),
    ).rejects.toThrow(why);
    expect(await readFile(join(workspace, 'vtcode.toml'), 'utf8')).toBe(
      '[permissions]\ndeny = ["read(.env)"]\n',
    );
  });

  it('refuses rows of a file that changed since the preview', async () => {
    const file = join(workspace, '.claude', 'settings.json');
    await writeFile(file, settings({ allow: ['Bash(ls)'] }));
    const policy = await open();
    const preview = await importPreview(policy, {
      from: 'claude',
      source: { kind: 'file', path: file },
    });
    await writeFile(file, settings({ allow: ['Bash(rm -rf /)'] }));
    await expect(
      importApply(policy, {
        from: 'claude',
        source: { kind: 'file', path: file },
        target: 'workspace',
        accept: [preview.rows[0]?.id ?? ''],
      }),
    ).rejects.toThrow(/not in the preview/);
  });
});
