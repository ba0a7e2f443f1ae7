import { describe, expect, it } from 'vitest';
import { ignoredKeyFindings, keyFindings, overriddenListFindings } from './config-keys';
import { lintFixture } from './lint-testing';
import { permissionNameFindings, toolNameFindings } from './tool-names';

async function tools(toml: string) {
  const f = await lintFixture(toml);
  return toolNameFindings(f.config.layers, f.options);
}

describe('tool names in [tools.policies] and [permissions]', () => {
  it('a misspelt tool: warning, did you mean, and a rename as the fix', async () => {
    const out = await tools('[tools.policies]\nexec_comand = "allow"\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'unknown-tool',
      severity: 'warning',
      key: 'tools.policies.exec_comand',
      line: 2,
    });
    expect(out[0]?.message).toContain('Did you mean exec_command?');
    expect(out[0]?.fix).toEqual({
      label: 'rename exec_comand to exec_command',
      target: 'workspace',
      edits: [
        { kind: 'tool-policy', tool: 'exec_command', value: 'allow' },
        { kind: 'tool-policy', tool: 'exec_comand', value: null },
      ],
    });
  });

  it('removes instead of renaming when the right name is already set', async () => {
    const out = await tools('[tools.policies]\nexec_command = "prompt"\nexec_comand = "allow"\n');
    expect(out[0]?.fix?.edits).toEqual([{ kind: 'tool-policy', tool: 'exec_comand', value: null }]);
  });

  it('a name nothing is close to: remove it', async () => {
    const out = await tools('[tools.policies]\nfrobnicate = "deny"\n');
    expect(out[0]?.message).not.toContain('Did you mean');
    expect(out[0]?.fix?.label).toBe('remove tools.policies.frobnicate');
  });

  it('tools VT Code has and this app does not are info', async () => {
    const out = await tools(
      '[tools.policies]\nweb_search = "allow"\nmcp__github__create_issue = "prompt"\nresize_pty_session = "allow"\n',
    );
    expect(out.map((f) => [f.kind, f.severity])).toEqual([
      ['tool-not-here', 'info'],
      ['tool-not-here', 'info'],
      ['tool-not-here', 'info'],
    ]);
  });

  it.each([
    ['agent tools', '[tools.policies]\nexec_command = "allow"\nread_file = "allow"\n'],
    ['older names', '[tools.policies]\nrun_pty_cmd = "prompt"\ngrep_file = "allow"\n'],
    ['no [tools.policies] at all', '[tools]\ndefault_policy = "prompt"\n'],
  ])('does not fire: %s', async (_name, toml) => {
    expect(await tools(toml)).toEqual([]);
  });

  it('unknown tool names in [permissions] rules', async () => {
    const f = await lintFixture(
      '[permissions]\nallow = ["exec_comand(ls)", "exec_command(git *)", "read", "Read(/docs/**)", "mcp__gh__x", "WebFetch(domain:x.org)"]\n',
    );
    const out = permissionNameFindings(f.config.layers, f.options);
    expect(out.map((x) => [x.kind, x.rule?.entry, x.rule?.index])).toEqual([
      ['unknown-tool', 'exec_comand(ls)', 0],
    ]);
    expect(out[0]?.message).toContain('Did you mean exec_command?');
  });
});

describe('keys nothing reads, keys only VT Code reads, keys ignored where they are', () => {
  it('misspelt keys with did you mean, VT Code keys as info', async () => {
    const f = await lintFixture(
      [
        '[commands]',
        'alow_list = ["ls"]',
        '[tools]',
        'defualt_policy = "allow"',
        'max_consecutive_blocked_tool_calls_per_turn = 4',
        '[tools.web_fetch]',
        'mode = "whitelist"',
        '[security]',
        'hitl_notification_bell = false',
        '[sandbox.netwrk]',
        'policy = "block_all"',
        '[ui]',
        'theme = "x"',
        '[comands]',
        'allow_list = ["ls"]',
        '',
      ].join('\n'),
    );
    const out = keyFindings(f.config);
    const brief = out.map((x) => [x.kind, x.severity, x.key, x.line]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ['unknown-key', 'warning', 'comands', 14],
        ['unknown-key', 'warning', 'commands.alow_list', 2],
        ['unknown-key', 'warning', 'tools.defualt_policy', 4],
        ['vtcode-only-key', 'info', 'tools.max_consecutive_blocked_tool_calls_per_turn', 5],
        ['vtcode-only-key', 'info', 'tools.web_fetch', 6],
        ['vtcode-only-key', 'info', 'security.hitl_notification_bell', 9],
        ['unknown-key', 'warning', 'sandbox.netwrk', 10],
      ]),
    );
    expect(out).toHaveLength(7);
    const say = (key: string) => out.find((x) => x.key === key)?.message ?? '';
    expect(say('commands.alow_list')).toContain('Did you mean allow_list?');
    expect(say('tools.defualt_policy')).toContain('Did you mean default_policy?');
    expect(say('sandbox.netwrk')).toContain('Did you mean network?');
    expect(say('comands')).toContain('Did you mean commands?');
  });

  it('does not fire on the keys this app reads (older spellings included)', async () => {
    const f = await lintFixture(
      '[commands]\nallow_list = ["ls"]\n[sandbox]\ndefault_mode = "read_only"\n[sandbox.network]\nblock_all = true\n[agent]\ndefault_primary_agent = "plan"\n[[custom_providers]]\nname = "x"\n',
    );
    expect(keyFindings(f.config)).toEqual([]);
  });

  it('values ignored because of their file become findings', async () => {
    const f = await lintFixture(
      '[sandbox.sensitive_paths]\nuse_defaults = false\n[tools]\ndefault_policy = "allow"\n',
      {
        trust: 'read_only',
      },
    );
    const out = ignoredKeyFindings(f.config);
    expect(out.map((x) => [x.kind, x.severity, x.key])).toEqual(
      expect.arrayContaining([
        ['ignored-key', 'warning', 'sandbox.sensitive_paths.use_defaults'],
        ['ignored-key', 'warning', 'tools.default_policy'],
      ]),
    );
  });

  it('a user allow list the workspace list replaces', async () => {
    const f = await lintFixture('[commands]\nallow_glob = ["npm test *"]\n', {
      user: '[commands]\nallow_glob = ["git *", "ls *"]\ndeny_glob = ["rm *"]\n',
    });
    const out = overriddenListFindings(f.config);
    expect(out.map((x) => [x.kind, x.key, x.file])).toEqual([
      ['overridden-list', 'commands.allow_glob', f.userFile],
    ]);
    expect(out[0]?.message).toContain('2 rules');
  });
});
