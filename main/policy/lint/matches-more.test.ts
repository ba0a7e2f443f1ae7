import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-testing';
import { matchesMoreFindings, unanchoredFindings } from './matches-more';
import { lintedRules } from './rule-set';

async function more(toml: string, programs: string[] = []) {
  const f = await lintFixture(toml);
  return matchesMoreFindings(f.config, { ...f.options, programs }, lintedRules(f.config).allow);
}

async function anchors(toml: string) {
  const f = await lintFixture(toml);
  return unanchoredFindings(f.config, f.options, lintedRules(f.config).allow);
}

describe('rules that match more than they look like', () => {
  it('ls* also matches lsof and lsblk; the fix is `ls *` plus `ls`', async () => {
    const out = await more('[commands]\nallow_list = ["pwd"]\nallow_glob = ["ls*", "cat *"]\n');
    expect(out).toHaveLength(1);
    expect(out[0]?.severity).toBe('warning');
    expect(out[0]?.message).toContain('lsof');
    expect(out[0]?.message).toContain('lsblk');
    expect(out[0]?.message).not.toMatch(/\bls,/);
    expect(out[0]?.fix).toEqual({
      label: 'replace ls* with ls * and ls',
      target: 'workspace',
      edits: [
        { kind: 'command-rules', list: 'allow_glob', value: ['ls *', 'cat *'] },
        { kind: 'command-rules', list: 'allow_list', value: ['pwd', 'ls'] },
      ],
    });
  });

  it('names programs found on PATH too', async () => {
    const out = await more('[commands]\nallow_glob = ["cat*"]\n', ['catdoc', 'cat']);
    expect(out[0]?.message).toContain('catdoc');
    expect(out[0]?.message).toContain('catman');
  });

  it('an anchored regex without a word end: ^git matches gitk', async () => {
    const out = await more('[commands]\nallow_regex = ["^git"]\n');
    expect(out[0]?.message).toContain('gitk');
    expect(out[0]?.fix?.edits).toEqual([
      { kind: 'command-rules', list: 'allow_regex', value: ['^git( .*)?$'] },
    ]);
  });

  it.each([
    ['ls *', '[commands]\nallow_glob = ["ls *"]\n'],
    ['a word list', '[commands]\nallow_list = ["ls"]\n'],
    ['a word-ended regex', '[commands]\nallow_regex = ["^ls( |$)"]\n'],
    ['a deny glob (denying more is safe)', '[commands]\ndeny_glob = ["rm*"]\n'],
    ['no program matches more', '[commands]\nallow_glob = ["zzqx*"]\n'],
    ['a match-anything glob (runs-anything says so)', '[commands]\nallow_glob = ["*"]\n'],
  ])('does not fire: %s', async (_name, toml) => {
    expect(await more(toml)).toEqual([]);
  });
});

describe('unanchored allow regexes', () => {
  it('an error when a command it allows runs a script: the regex text as its argument', async () => {
    const out = await anchors('[commands]\nallow_regex = ["git status"]\n');
    expect(out).toHaveLength(1);
    expect(out[0]?.severity).toBe('error');
    expect(out[0]?.message).toContain('python3 qzx-evil.py git status');
    expect(out[0]?.fix?.edits).toEqual([
      { kind: 'command-rules', list: 'allow_regex', value: ['^(?:git status)( .*)?$'] },
    ]);
  });

  it('a warning when no such command is shown allowed; a trailing $ is kept', async () => {
    const out = await anchors('[commands]\nallow_regex = ["(git|hg) status$"]\n');
    expect(out[0]?.severity).toBe('warning');
    expect(out[0]?.fix?.edits).toEqual([
      { kind: 'command-rules', list: 'allow_regex', value: ['^(?:(git|hg) status$)'] },
    ]);
  });

  it.each([
    ['anchored', '[commands]\nallow_regex = ["^git status$"]\n'],
    ['anchored, case-insensitive', '[commands]\nallow_regex = ["(?i)^git status"]\n'],
    ['a deny regex', '[commands]\ndeny_regex = ["rm -rf"]\n'],
  ])('does not fire: %s', async (_name, toml) => {
    expect(await anchors(toml)).toEqual([]);
  });
});
