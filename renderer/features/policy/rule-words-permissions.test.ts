import { describe, expect, it } from 'vitest';
import type { PolicySnapshot, ToolPolicyRow } from '../../../shared/domain/policy';
import { policyTargetSelector } from './open-policy';
import { citeRule, permissionRuleInWords, policyPhrases } from './rule-words';

const ws = { layer: 'workspace', file: '/w/vtcode.toml' } as const;

describe('[permissions] rules in words', () => {
  it('cites a permission rule with its list, file and key, opening the Permission rules', () => {
    const c = citeRule({
      kind: 'permission',
      entry: 'apply_patch(/docs/**)',
      section: 'permissions.allow',
      source: ws,
    });
    expect(c).toEqual({
      words: 'the allow rule “apply_patch(/docs/**)”',
      where: 'workspace vtcode.toml',
      key: 'permissions.allow',
      target: 'rule:permissions.allow:apply_patch(/docs/**)',
    });
    expect(policyTargetSelector('permissions')).toBe('section[aria-label="Permission rules"]');
  });

  it('explains each form', () => {
    expect(permissionRuleInWords('deny', 'read(.env)')).toMatch(
      /^Denies reading or searching anything named \.env/,
    );
    expect(permissionRuleInWords('allow', 'apply_patch(/docs/**)')).toMatch(
      /^Allows changing docs\/\*\*/,
    );
    expect(permissionRuleInWords('ask', 'exec_command(git push *)')).toMatch(
      /^Asks before commands matching/,
    );
    expect(permissionRuleInWords('auto', 'apply_patch')).toMatch(/classifier; this app asks you/);
    expect(permissionRuleInWords('allow', 'Bash(rm')).toMatch(/^Not understood, so ignored/);
  });

  it('says a matrix row decided by a permission rule comes from that rule', () => {
    const row: ToolPolicyRow = {
      tool: 'apply_patch',
      summary: 'patch',
      aliases: [],
      decision: 'deny',
      source: ws,
      key: null,
      permission: { list: 'deny', entry: 'edit' },
    };
    const snapshot = {
      tools: {
        matrix: [row],
        defaultPolicy: 'prompt',
        defaultPolicySource: { layer: 'default', file: null },
      },
      commands: [],
    } as unknown as PolicySnapshot;
    expect(policyPhrases(snapshot)).toEqual([
      {
        text: 'Edits are denied',
        where: 'workspace vtcode.toml',
        key: 'permissions.deny',
        target: 'permissions',
      },
    ]);
  });
});
