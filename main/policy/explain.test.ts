import { describe, expect, it } from 'vitest';
import type { SessionGrant } from '../../shared/domain/agent';
import type { PolicyExplain } from '../../shared/domain/policy-explain';
import { explainPolicy } from './explain';
import { lintFixture } from './lint/lint-testing';

const TOOLS = [
  { name: 'read_file', summary: '' },
  { name: 'write_file', summary: '' },
  { name: 'apply_patch', summary: '' },
  { name: 'exec_command', summary: '' },
];

const entry = (e: PolicyExplain, id: string) => {
  const found = [...e.tools, ...e.rules].find((x) => x.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

describe('explain: the effective policy', () => {
  it('says which file set each tool and what it overrode', async () => {
    const f = await lintFixture('[tools.policies]\nexec_command = "prompt"\n', {
      user: '[tools]\ndefault_policy = "deny"\n[tools.policies]\nexec_command = "allow"\nwrite_file = "allow"\n',
    });
    const e = explainPolicy(f.config, { tools: TOOLS, mode: 'ask' });
    const exec = entry(e, 'tool:exec_command');
    expect(exec.value).toBe('prompt');
    expect(exec.source).toMatchObject({
      layer: 'workspace',
      key: 'tools.policies.exec_command',
      line: 2,
    });
    expect(exec.overrode).toEqual([
      {
        value: 'allow',
        source: { layer: 'user', file: f.userFile, key: 'tools.policies.exec_command', line: 4 },
      },
    ]);
    expect(entry(e, 'tool:write_file')).toMatchObject({
      value: 'allow',
      source: { layer: 'user' },
    });
    // No entry of its own: the user file's default_policy decides.
    expect(entry(e, 'tool:apply_patch')).toMatchObject({
      value: 'deny',
      source: { layer: 'user', key: 'tools.default_policy' },
    });
    // Read-only tools are allowed by the built-in default only when default_policy is not set.
    expect(entry(e, 'tool:read_file')).toMatchObject({ value: 'deny' });
  });

  it('built-in defaults when no file says anything', async () => {
    const f = await lintFixture('');
    const e = explainPolicy(f.config, { tools: TOOLS });
    expect(entry(e, 'tool:read_file')).toMatchObject({
      value: 'allow',
      source: { layer: 'default' },
    });
    expect(entry(e, 'tool:exec_command')).toMatchObject({
      value: 'prompt',
      source: { layer: 'default' },
    });
    expect(entry(e, 'setting:security.human_in_the_loop')).toMatchObject({
      value: 'true',
      source: { layer: 'default' },
    });
    expect(e).toMatchObject({ mode: 'ask', modeFrom: 'default' });
  });

  it('lists: deny lists join every file, allow lists replace (the loser is kept)', async () => {
    const f = await lintFixture('[commands]\ndeny_glob = ["curl *"]\nallow_list = ["ls"]\n', {
      user: '[commands]\ndeny_glob = ["rm *"]\nallow_list = ["git status", "pwd"]\n',
    });
    const e = explainPolicy(f.config, { tools: TOOLS });
    const deny = entry(e, 'list:commands.deny_glob');
    expect(deny.entries.map((x) => [x.entry, x.source.layer])).toEqual([
      ['rm *', 'user'],
      ['curl *', 'workspace'],
    ]);
    const allow = entry(e, 'list:commands.allow_list');
    expect(allow.entries.map((x) => x.entry)).toEqual(['ls']);
    expect(allow.overrode).toEqual([
      { value: 'git status, pwd', source: expect.objectContaining({ layer: 'user' }) as unknown },
    ]);
  });

  it('what was ignored and why: an untrusted folder, user-only keys, the sandbox ceiling', async () => {
    const f = await lintFixture(
      '[tools]\ndefault_policy = "allow"\n[sandbox]\ndefault_policy = "workspace_write"\n[sandbox.sensitive_paths]\nuse_defaults = false\n',
      { trust: 'read_only' },
    );
    const e = explainPolicy(f.config, { tools: TOOLS });
    const dp = entry(e, 'setting:tools.default_policy');
    expect(dp.value).toBe('prompt');
    expect(dp.ignored).toEqual([
      expect.objectContaining({
        value: 'allow',
        why: expect.stringContaining('not trusted') as unknown,
      }) as unknown,
    ]);
    const sandbox = entry(e, 'setting:sandbox.default_policy');
    expect(sandbox).toMatchObject({ value: 'read_only', source: { layer: 'trust' } });
    expect(entry(e, 'setting:sandbox.sensitive_paths.use_defaults').ignored[0]?.why).toContain(
      'not trusted',
    );
    const trusted = await lintFixture('[sandbox.sensitive_paths]\nuse_defaults = false\n');
    const own = entry(
      explainPolicy(trusted.config, { tools: TOOLS }),
      'setting:sandbox.sensitive_paths.use_defaults',
    );
    expect(own).toMatchObject({ value: 'true', source: { layer: 'default' } });
    expect(own.ignored[0]?.why).toContain('only the user file');
  });

  it('a workspace that loosens the sandbox past the user file is ignored, with why', async () => {
    const f = await lintFixture('[sandbox.network]\npolicy = "allow_all"\n', {
      user: '[sandbox.network]\npolicy = "allowlist_only"\n',
    });
    const net = entry(explainPolicy(f.config, { tools: TOOLS }), 'setting:sandbox.network.policy');
    expect(net).toMatchObject({ value: 'allowlist_only', source: { layer: 'user' } });
    expect(net.ignored[0]).toMatchObject({ value: 'allow_all', source: { layer: 'workspace' } });
    expect(net.ignored[0]?.why).toContain('cannot loosen the sandbox');
  });

  it('what the mode changes: plan denies edits and asks nothing of commands; full auto allows prompts', async () => {
    const f = await lintFixture('[tools.policies]\nwrite_file = "prompt"\n');
    const plan = explainPolicy(f.config, { tools: TOOLS, mode: 'plan' });
    expect(entry(plan, 'tool:apply_patch').changes).toEqual([
      expect.objectContaining({
        by: 'mode',
        value: 'deny',
        what: expect.stringContaining('plan mode: apply_patch denied') as unknown,
      }) as unknown,
    ]);
    expect(entry(plan, 'tool:exec_command').changes[0]).toMatchObject({
      by: 'mode',
      value: 'deny',
    });
    expect(entry(plan, 'tool:read_file').changes).toEqual([]);
    expect(entry(plan, 'setting:sandbox.default_policy').changes[0]).toMatchObject({
      value: 'read_only',
    });
    expect(entry(plan, 'setting:mode')).toMatchObject({ value: 'plan', source: { layer: 'mode' } });
    const auto = explainPolicy(f.config, { tools: TOOLS, mode: 'full_auto' });
    expect(entry(auto, 'tool:write_file').changes[0]).toMatchObject({ value: 'allow' });
    const ask = explainPolicy(f.config, { tools: TOOLS, mode: 'ask' });
    expect(ask.tools.flatMap((t) => t.changes)).toEqual([]);
  });

  it('the configured default mode, and what a session grant adds', async () => {
    const f = await lintFixture('[agent]\ndefault_primary_agent = "plan"\n');
    const grant: SessionGrant = {
      grantId: 'g-1',
      tool: 'exec_command',
      scope: 'exact',
      text: 'npm test',
      covers: ['exactly `npm test`'],
      createdAt: '2026-01-01T00:00:00Z',
    };
    const e = explainPolicy(f.config, { tools: TOOLS, grants: [grant], sessionId: 's-abcdef' });
    expect(e).toMatchObject({ mode: 'plan', modeFrom: 'default', sessionId: 's-abcdef' });
    expect(entry(e, 'setting:mode').source).toMatchObject({
      layer: 'workspace',
      key: 'agent.default_primary_agent',
    });
    expect(entry(e, 'tool:exec_command').changes).toContainEqual({
      by: 'grant',
      value: 'allow',
      what: 'session grant: npm test (exactly `npm test`)',
    });
  });
});
