import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-testing';
import { lintedRules } from './rule-set';
import { runAnythingFindings } from './run-anything';

async function lint(toml: string) {
  const f = await lintFixture(toml);
  return runAnythingFindings(f.config, f.options, lintedRules(f.config).allow);
}

const glob = (entry: string) => `[commands]\nallow_glob = [${JSON.stringify(entry)}]\n`;

describe('rules that run anything', () => {
  it.each([
    ['allow_glob *', glob('*'), 'any command'],
    ['allow_regex .*', '[commands]\nallow_regex = [".*"]\n', 'any command'],
    ['allow_regex ^.*$', '[commands]\nallow_regex = ["^.*$"]\n', 'any command'],
    ['allow_regex empty prefix', '[commands]\nallow_regex = ["^"]\n', 'any command'],
    ['python3 *', glob('python3 *'), '`python3` with any script file'],
    ['allow_list python3', '[commands]\nallow_list = ["python3"]\n', '`python3` with any script'],
    ['python3 -c', '[commands]\nallow_list = ["python3 -c"]\n', '`python3 -c` with any code'],
    ['node -e *', glob('node -e *'), '`node -e` with any code'],
    ['perl', '[commands]\nallow_list = ["perl"]\n', '`perl`'],
    ['ruby *', glob('ruby *'), '`ruby`'],
    ['deno eval', '[commands]\nallow_list = ["deno eval"]\n', '`deno eval`'],
    ['sudo *', glob('sudo *'), '`sudo` with any command'],
    ['npx *', glob('npx *'), '`npx` with any package'],
    ['npm exec *', glob('npm exec *'), '`npm exec` with any package'],
    ['approval prefix python', '[commands]\napproval_prefixes = ["python3"]\n', '`python3`'],
    ['permissions exec_command(*)', '[permissions]\nallow = ["exec_command(*)"]\n', 'any command'],
  ])('%s is an error', async (_name, toml, words) => {
    const out = await lint(toml);
    expect(out.map((f) => [f.kind, f.severity])).toContainEqual(['runs-anything', 'error']);
    expect(out.find((f) => f.kind === 'runs-anything')?.message).toContain(words);
  });

  it.each([
    ['bash *', glob('bash *'), '`bash -c` with any script'],
    ['sh', '[commands]\nallow_list = ["sh"]\n', '`sh -c`'],
    ['zsh *', glob('zsh *'), '`zsh'],
    ['fish *', glob('fish *'), '`fish'],
    ['env *', glob('env *'), '`env` with any command'],
    ['xargs *', glob('xargs *'), '`xargs` with any command'],
    ['nohup', '[commands]\nallow_list = ["nohup"]\n', '`nohup`'],
    ['timeout *', glob('timeout *'), '`timeout` with any command'],
    ['nice *', glob('nice *'), '`nice`'],
    ['exec *', glob('exec *'), '`exec`'],
    ['eval *', glob('eval *'), '`eval` with any code'],
    ['find *', glob('find *'), '`find -exec`'],
    ['git *', glob('git *'), '`git -c`'],
  ])('%s is a warning: VT Code would run anything, this app asks', async (_name, toml, words) => {
    const out = await lint(toml);
    const f = out.find((x) => x.kind === 'runs-anything');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain(words);
    expect(f?.message).toContain('VT Code');
  });

  it.each([
    ['npm run *', glob('npm run *'), 'package.json'],
    ['make *', glob('make *'), 'Makefile'],
    ['allow_list make', '[commands]\nallow_list = ["make"]\n', 'Makefile'],
  ])('%s runs project scripts the agent can edit (warning)', async (_name, toml, words) => {
    const out = await lint(toml);
    expect(out.map((f) => f.kind)).not.toContain('runs-anything');
    const f = out.find((x) => x.kind === 'runs-project-scripts');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain(words);
  });

  it.each([
    ['git status', '[commands]\nallow_list = ["git status", "git diff", "git log"]\n'],
    ['cargo check', '[commands]\nallow_list = ["cargo check"]\nallow_glob = ["cargo check *"]\n'],
    ['ls', '[commands]\nallow_list = ["ls", "pwd", "echo", "cat"]\n'],
    ['npm test', '[commands]\nallow_list = ["npm test"]\n'],
    ['python3 -m pytest', '[commands]\nallow_glob = ["python3 -m pytest *"]\n'],
    ['exact regex', '[commands]\nallow_regex = ["^git status$"]\n'],
    ['deny *', '[commands]\ndeny_glob = ["*"]\n'],
    ['deny bash', '[commands]\ndeny_list = ["bash", "python3"]\n'],
    ['permissions cargo', '[permissions]\nallow = ["exec_command(cargo check *)"]\n'],
  ])('%s does not fire', async (_name, toml) => {
    expect(await lint(toml)).toEqual([]);
  });

  it('offers to remove the rule from its file, keeping the others', async () => {
    const out = await lint('[commands]\nallow_glob = ["git status *", "*", "ls *"]\n');
    const f = out.find((x) => x.kind === 'runs-anything');
    expect(f?.rule).toMatchObject({
      section: 'commands',
      list: 'allow_glob',
      entry: '*',
      index: 1,
    });
    expect(f?.fix).toEqual({
      label: 'remove allow_glob *',
      target: 'workspace',
      edits: [{ kind: 'command-rules', list: 'allow_glob', value: ['git status *', 'ls *'] }],
    });
  });
});
