import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { resolveAppPaths } from '../platform/paths';
import { trustForTests } from '../workspace/trust-testing';
import { PolicyService } from './policy-service';

let root: string;
let workspace: string;
let service: PolicyService;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'perm-save-'));
  workspace = join(root, 'ws');
  await mkdir(workspace);
  const env = { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'home', '.config') };
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

const FILE = `# team policy: keep these comments
[agent]
provider = "anthropic" # ours

[permissions]
# shell rules first
allow = ["exec_command(cargo check *)"] # fast path
deny = [
  "exec_command(rm -rf *)", # never
]
audit_enabled = true
some_future_key = "kept"

[permissions.auto]
model = "small"
max_total_denials = 20

[permissions.auto.environment]
trusted_domains = ["github.com"]

[mcp]
enabled = true
`;

describe('[permissions] lists saved from the policy screen', () => {
  it('writes each list in place, keeping comments, other sections, unknown and VT Code-only keys', async () => {
    const file = join(workspace, 'vtcode.toml');
    await writeFile(file, FILE);
    const policy = await service.forWorkspace(workspace);
    const snapshot = await policy.save('workspace', [
      {
        kind: 'permission-rules',
        list: 'allow',
        value: ['exec_command(cargo check *)', 'apply_patch(/docs/**)'],
      },
      { kind: 'permission-rules', list: 'deny', value: ['exec_command(rm -rf *)', 'read(.env)'] },
      {
        kind: 'permission-rules',
        list: 'ask',
        value: ['WebFetch(domain:example.com)', 'mcp__ctx__*'],
      },
    ]);
    const text = await readFile(file, 'utf8');
    for (const kept of [
      '# team policy: keep these comments',
      'provider = "anthropic" # ours',
      '# shell rules first',
      'some_future_key = "kept"',
      '[permissions.auto]',
      'model = "small"',
      '[permissions.auto.environment]',
      '[mcp]',
    ])
      expect(text).toContain(kept);
    expect(parse(text)).toMatchObject({
      permissions: {
        allow: ['exec_command(cargo check *)', 'apply_patch(/docs/**)'],
        deny: ['exec_command(rm -rf *)', 'read(.env)'],
        ask: ['WebFetch(domain:example.com)', 'mcp__ctx__*'],
        audit_enabled: true,
        auto: {
          model: 'small',
          max_total_denials: 20,
          environment: { trusted_domains: ['github.com'] },
        },
      },
      mcp: { enabled: true },
    });
    expect(snapshot.permissions.map((p) => [p.list, p.entry, p.source.layer])).toEqual([
      ['allow', 'exec_command(cargo check *)', 'workspace'],
      ['allow', 'apply_patch(/docs/**)', 'workspace'],
      ['ask', 'WebFetch(domain:example.com)', 'workspace'],
      ['ask', 'mcp__ctx__*', 'workspace'],
      ['deny', 'exec_command(rm -rf *)', 'workspace'],
      ['deny', 'read(.env)', 'workspace'],
    ]);
    expect(snapshot.issues).toEqual([]);
    expect((await policy.check({ path: 'docs/x.md', op: 'write' })).decision).toBe('allow');
    expect((await policy.check({ path: 'a/.env', op: 'read' })).decision).toBe('deny');
  });

  it('adds a [permissions] table to a file that has none, and to one with only [permissions.auto]', async () => {
    const file = join(workspace, 'vtcode.toml');
    await writeFile(file, '# only auto\n[permissions.auto]\nmodel = "m"\n');
    const policy = await service.forWorkspace(workspace);
    await policy.save('workspace', [{ kind: 'permission-rules', list: 'allow', value: ['read'] }]);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('# only auto\n')).toBe(true);
    expect(parse(text)).toEqual({ permissions: { allow: ['read'], auto: { model: 'm' } } });
    await writeFile(file, '');
    await policy.save('workspace', [{ kind: 'permission-rules', list: 'deny', value: ['bash'] }]);
    expect(parse(await readFile(file, 'utf8'))).toEqual({ permissions: { deny: ['bash'] } });
  });

  it('refuses a rule that does not parse, naming the key, and writes nothing', async () => {
    const file = join(workspace, 'vtcode.toml');
    await writeFile(file, FILE);
    const policy = await service.forWorkspace(workspace);
    await expect(
      policy.save('workspace', [
        { kind: 'permission-rules', list: 'ask', value: ['read', 'Bash(rm -rf'] },
      ]),
    ).rejects.toThrow(/Not saved: permissions\.ask\[1\]: "Bash\(rm -rf" is not a rule: .*end with/);
    await expect(
      policy.save('workspace', [
        { kind: 'permission-rules', list: 'allow', value: ['WebFetch(x.com)'] },
      ]),
    ).rejects.toThrow(/permissions\.allow\[0\].*domain:HOST/);
    expect(await readFile(file, 'utf8')).toBe(FILE);
  });

  it('keeps a rule of a tool it does not know (a warning, not a refusal)', async () => {
    const policy = await service.forWorkspace(workspace);
    const snapshot = await policy.save('user', [
      { kind: 'permission-rules', list: 'deny', value: ['frobnicate'] },
    ]);
    expect(snapshot.permissions).toContainEqual(
      expect.objectContaining({
        entry: 'frobnicate',
        ignored: false,
        problem: expect.stringMatching(/not a tool/) as unknown,
      }),
    );
    expect(snapshot.issues).toContainEqual(
      expect.objectContaining({ key: 'permissions.deny[0]', severity: 'warning' }),
    );
  });
});
