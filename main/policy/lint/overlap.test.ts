import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-testing';
import { overlapFindings } from './overlap';
import { lintedRules } from './rule-set';

async function lint(toml: string, user?: string) {
  const f = await lintFixture(toml, user === undefined ? {} : { user });
  return overlapFindings(f.config, lintedRules(f.config));
}

const brief = (out: Awaited<ReturnType<typeof lint>>) =>
  out.map((f) => [f.kind, f.rule?.list, f.rule?.entry, f.rule?.layer]);

describe('shadowed rules', () => {
  it.each([
    [
      'allow_list under deny_glob',
      'allow_list = ["rm -rf build"]\ndeny_glob = ["rm *"]',
      'allow_list',
      'rm -rf build',
    ],
    [
      'allow_glob under deny_list',
      'allow_glob = ["git push --force *"]\ndeny_list = ["git push"]',
      'allow_glob',
      'git push --force *',
    ],
    [
      'allow_list under deny_regex',
      'allow_list = ["curl example.com"]\ndeny_regex = ["^curl "]',
      'allow_list',
      'curl example.com',
    ],
    [
      'allow under a broader deny',
      'allow_glob = ["docker run *"]\ndeny_glob = ["docker *"]',
      'allow_glob',
      'docker run *',
    ],
  ])('%s', async (_name, body, list, entry) => {
    const out = await lint(`[commands]\n${body}\n`);
    expect(brief(out)).toEqual([['shadowed', list, entry, 'workspace']]);
    expect(out[0]?.severity).toBe('warning');
    expect(out[0]?.message).toContain('never applies');
    expect(out[0]?.fix?.edits[0]).toMatchObject({ kind: 'command-rules', list });
  });

  it('an allow the user file denies elsewhere: shadowed here, but only removable when the deny applies everywhere', async () => {
    const out = await lint(
      '[commands]\ndeny_glob = ["rm *"]\n',
      '[commands]\nallow_list = ["rm -rf build"]\n',
    );
    expect(brief(out)).toEqual([['shadowed', 'allow_list', 'rm -rf build', 'user']]);
    expect(out[0]?.message).toContain('in this workspace');
    expect(out[0]?.fix).toBeNull();
  });

  it('an ask rule taken first by a deny; an allow taken first by an ask', async () => {
    const out = await lint(
      '[permissions]\nask = ["exec_command(git push *)"]\ndeny = ["exec_command(git push --force *)"]\nallow = ["exec_command(git push origin *)"]\n',
    );
    expect(brief(out)).toEqual([
      ['shadowed', 'allow', 'exec_command(git push origin *)', 'workspace'],
    ]);
    expect(out[0]?.message).toContain('asks about every command it matches first');
  });

  it.each([
    ['deny narrower than the allow', 'allow_glob = ["rm *"]\ndeny_list = ["rm -rf /"]'],
    ['different programs', 'allow_list = ["git status"]\ndeny_glob = ["rm *"]'],
    ['deny on another subcommand', 'allow_glob = ["git *"]\ndeny_glob = ["git push *"]'],
    ['rm* is not rm *', 'allow_list = ["rmdir build"]\ndeny_glob = ["rm *"]'],
  ])('does not fire: %s', async (_name, body) => {
    expect(await lint(`[commands]\n${body}\n`)).toEqual([]);
  });
});

describe('redundant and duplicate rules', () => {
  it('a rule inside a broader rule of the same effect', async () => {
    const out = await lint('[commands]\nallow_list = ["git status"]\nallow_glob = ["git *"]\n');
    expect(brief(out)).toEqual([['redundant', 'allow_list', 'git status', 'workspace']]);
    expect(out[0]?.severity).toBe('info');
    expect(out[0]?.fix?.edits).toEqual([{ kind: 'command-rules', list: 'allow_list', value: [] }]);
  });

  it('deny rules too', async () => {
    const out = await lint('[commands]\ndeny_list = ["rm -rf /"]\ndeny_glob = ["rm *"]\n');
    expect(brief(out)).toEqual([['redundant', 'deny_list', 'rm -rf /', 'workspace']]);
  });

  it('the same entry twice in a list, and across files (the workspace copy goes)', async () => {
    const out = await lint(
      '[commands]\nallow_list = ["ls", "pwd", "ls"]\ndeny_glob = ["rm *"]\n',
      '[commands]\ndeny_glob = ["rm *"]\n',
    );
    expect(brief(out)).toEqual([
      ['duplicate', 'allow_list', 'ls', 'workspace'],
      ['duplicate', 'deny_glob', 'rm *', 'workspace'],
    ]);
    const ls = out[0];
    expect(ls?.rule?.index).toBe(2);
    expect(ls?.fix?.edits).toEqual([
      { kind: 'command-rules', list: 'allow_list', value: ['ls', 'pwd'] },
    ]);
  });

  it.each([
    ['an option the broader rule does not name', 'allow_list = ["sed -i"]\nallow_glob = ["sed *"]'],
    ['a subcommand that runs programs', 'allow_list = ["git difftool"]\nallow_glob = ["git *"]'],
    ['a script a shell runs', 'allow_list = ["bash build.sh"]\nallow_glob = ["bash *"]'],
    ['overlapping, neither inside the other', 'allow_glob = ["git log *", "git l?g"]'],
    ['user rule covered only by the workspace', 'allow_glob = ["git *"]'],
  ])('does not fire: %s', async (_name, body) => {
    const user = body.includes('only by the workspace')
      ? '[commands]\ndeny_list = ["x"]\n'
      : undefined;
    const out = await lint(`[commands]\n${body}\n`, user);
    expect(out.filter((f) => f.kind === 'redundant' || f.kind === 'duplicate')).toEqual([]);
  });

  it('a user deny is not redundant because of a workspace deny (the user file applies elsewhere)', async () => {
    const out = await lint(
      '[commands]\ndeny_glob = ["rm *"]\n',
      '[commands]\ndeny_list = ["rm -rf /"]\n',
    );
    expect(out).toEqual([]);
  });

  it('a glob inside a word list: `git *` adds nothing to allow_list `git`', async () => {
    const out = await lint('[commands]\nallow_glob = ["git *"]\nallow_list = ["git"]\n');
    expect(brief(out)).toEqual([['redundant', 'allow_glob', 'git *', 'workspace']]);
  });

  it('checks a glob against a regex by samples', async () => {
    const out = await lint(
      '[commands]\nallow_list = ["cargo check"]\nallow_regex = ["^cargo( .*)?$"]\n',
    );
    expect(brief(out)).toEqual([['redundant', 'allow_list', 'cargo check', 'workspace']]);
  });
});
