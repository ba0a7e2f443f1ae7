import { byTable, operandIndices, type Finding, type OptSpec } from './option-scan';

/** The dangerous-option checks of git, network clients, package managers and interpreters. */
type Check = (argv: readonly string[]) => Finding[];

const runs = (why: string, takes = false): OptSpec => ({ effect: 'runs', why, takes });
const writes = (why: string): OptSpec => ({ effect: 'writes', why, takes: true, file: true });
const reads = (why: string): OptSpec => ({ effect: 'reads', why, takes: true, file: true });
const at = (index: number, why: string, effect: Finding['effect'] = 'runs'): Finding => ({
  effect,
  index,
  why,
});

// git options before the subcommand that take a value.
const GIT_GLOBAL_ARGS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']);
const GIT_RUNS = new Set(['difftool', 'mergetool', 'filter-branch', 'filter-repo', 'instaweb']);
const GIT_READ_CONFIG = /^--(get|get-all|get-regexp|get-urlmatch|list|get-color|get-colorbool)$/;

function git(argv: readonly string[]): Finding[] {
  const out: Finding[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (!w.startsWith('-')) break;
    if (w === '-c' || w.startsWith('--config-env'))
      out.push(at(i, `\`git ${w.split('=')[0]}\` sets configuration that can run programs`));
    else if (w.startsWith('--exec-path='))
      out.push(at(i, '`git --exec-path` runs git programs from another directory'));
    else if (w === '--git-dir' || w.startsWith('--git-dir='))
      out.push(at(i, '`git --git-dir` uses another repository, whose config can run programs'));
    if (GIT_GLOBAL_ARGS.has(w) || w === '--config-env') i++;
  }
  const sub = argv[i] ?? '';
  const rest = (from: number): Finding[] =>
    byTable(
      argv,
      {
        '--output': writes(`\`git ${sub} --output\` writes a file`),
        '--ext-diff': runs(`\`git ${sub} --ext-diff\` runs an external diff program`),
        '--textconv': runs(`\`git ${sub} --textconv\` runs conversion programs`),
        '--upload-pack': runs(`\`git ${sub} --upload-pack\` runs a program`, true),
        '--receive-pack': runs(`\`git ${sub} --receive-pack\` runs a program`, true),
        '--exec': runs(`\`git ${sub} --exec\` runs a command`, true),
        '--template': runs(`\`git ${sub} --template\` installs hooks`, true),
        '--config': runs(`\`git ${sub} --config\` sets configuration`, true),
        '--open-files-in-pager': runs('`git grep -O` runs a pager'),
        ...(sub === 'format-patch' ? { '-o': writes('`git format-patch -o` writes files') } : {}),
        ...(sub === 'format-patch'
          ? { '--output-directory': writes('`git format-patch -o`') }
          : {}),
        ...(sub === 'rebase' ? { '-x': runs('`git rebase -x` runs a command', true) } : {}),
        ...(sub === 'ls-remote' || sub === 'clone'
          ? { '-u': runs(`\`git ${sub} -u\` runs a program`, true) }
          : {}),
        ...(sub === 'clone' ? { '-c': runs('`git clone -c` sets configuration', true) } : {}),
        ...(sub === 'grep' ? { '-O': runs('`git grep -O` runs a pager') } : {}),
        ...(sub === 'archive' ? { '-o': writes('`git archive -o` writes a file') } : {}),
      },
      '',
      from,
    );
  if (GIT_RUNS.has(sub)) out.push(at(i, `\`git ${sub}\` runs external programs`));
  if (
    (sub === 'submodule' && argv.includes('foreach')) ||
    (sub === 'bisect' && argv[i + 1] === 'run')
  )
    out.push(at(i, `\`git ${sub}\` runs a command`));
  if (sub === 'hook') out.push(at(i, '`git hook run` runs a hook'));
  if (sub === 'config') {
    const ops = operandIndices(argv.slice(i)).map((k) => k + i);
    const verb = argv[ops[0] ?? -1] ?? '';
    const reading = argv.slice(i + 1).some((w) => GIT_READ_CONFIG.test(w) || w === '-l');
    const writesConfig =
      ['set', 'unset', 'rename-section', 'remove-section', 'edit'].includes(verb) ||
      argv
        .slice(i + 1)
        .some((w) =>
          /^(--(unset|unset-all|add|replace-all|edit|rename-section|remove-section)|-e)$/.test(w),
        ) ||
      (!['get', 'list'].includes(verb) && !reading && ops.length >= 2);
    if (writesConfig)
      out.push(at(i, '`git config` changes configuration that can run programs', 'writes'));
  }
  return i < argv.length ? [...out, ...rest(i + 1)] : out;
}

const CURL_ARGS = 'oKDcTdFHuXeAbExwrmYyzCPUtQ';

function curl(argv: readonly string[]): Finding[] {
  const out = byTable(
    argv,
    {
      '-o': writes('`curl -o` writes a file'),
      '--output': writes('`curl -o` writes a file'),
      '--output-dir': writes('`curl --output-dir` writes files'),
      '-O': { effect: 'writes', why: '`curl -O` writes a file named by the server' },
      '--remote-name': { effect: 'writes', why: '`curl -O` writes a file named by the server' },
      '--remote-name-all': { effect: 'writes', why: '`curl -O` writes files' },
      '-J': { effect: 'writes', why: '`curl -J` writes a file named by the server' },
      '-K': runs('`curl -K` reads a config that can write files', true),
      '--config': runs('`curl -K` reads a config that can write files', true),
      '-D': writes('`curl -D` writes a file'),
      '--dump-header': writes('`curl -D` writes a file'),
      '-c': writes('`curl -c` writes a cookie file'),
      '--cookie-jar': writes('`curl -c` writes a cookie file'),
      '--trace': writes('`curl --trace` writes a file'),
      '--trace-ascii': writes('`curl --trace-ascii` writes a file'),
      '--stderr': writes('`curl --stderr` writes a file'),
      '--libcurl': writes('`curl --libcurl` writes a file'),
      '--hsts': writes('`curl --hsts` writes a file'),
      '--alt-svc': writes('`curl --alt-svc` writes a file'),
      '--etag-save': writes('`curl --etag-save` writes a file'),
      '-T': reads('`curl -T` uploads a file'),
      '--upload-file': reads('`curl -T` uploads a file'),
    },
    CURL_ARGS,
  );
  // `-d @file`, `-F name=@file` and `-F name=<file` send a file's contents.
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i] ?? '';
    const long = /^--(data|data-binary|data-urlencode|json|form|form-string)(=|$)/.exec(w);
    const short = /^-[dF]/.test(w);
    if (!long && !short) continue;
    const inline = long ? (long[2] ? w.slice(long[0].length) : null) : w.slice(2) || null;
    const index = inline === null ? i + 1 : i;
    const value = inline ?? argv[i + 1] ?? '';
    const file = /(?:^|=)[@<](.+)$/.exec(value)?.[1];
    if (file)
      out.push({
        effect: 'reads',
        index: i,
        why: 'curl sends a file',
        path: { index, value: file },
      });
  }
  return out;
}

const wget: Check = (argv) =>
  byTable(
    argv,
    {
      '-O': writes('`wget -O` writes a file'),
      '--output-document': writes('`wget -O` writes a file'),
      '-o': writes('`wget -o` writes a log file'),
      '--output-file': writes('`wget -o` writes a log file'),
      '-a': writes('`wget -a` writes a log file'),
      '--append-output': writes('`wget -a` writes a log file'),
      '-P': writes('`wget -P` writes files into a directory'),
      '--directory-prefix': writes('`wget -P` writes files into a directory'),
      '-e': runs('`wget -e` runs wgetrc commands', true),
      '--execute': runs('`wget -e` runs wgetrc commands', true),
      '--config': runs('`wget --config` reads wgetrc commands', true),
      '--use-askpass': runs('`wget --use-askpass` runs a program', true),
      '-i': reads('`wget -i` reads a file'),
      '--input-file': reads('`wget -i` reads a file'),
      '--post-file': reads('`wget --post-file` sends a file'),
      '--body-file': reads('`wget --body-file` sends a file'),
      '--save-cookies': writes('`wget --save-cookies` writes a file'),
    },
    'ODQtTwUYBlAR',
  );

/** npm/pnpm/yarn: another directory's scripts, a custom script shell, or `exec`. */
function packageManager(argv: readonly string[]): Finding[] {
  const p = argv[0] ?? '';
  const out = byTable(argv, {
    '--prefix': runs(`\`${p} --prefix\` runs another package's scripts`, true),
    '--dir': runs(`\`${p} --dir\` runs another package's scripts`, true),
    '--cwd': runs(`\`${p} --cwd\` runs another package's scripts`, true),
    '-C': runs(`\`${p} -C\` runs another package's scripts`, true),
    '--script-shell': runs(`\`${p} --script-shell\` runs scripts with another program`, true),
    '--userconfig': runs(`\`${p} --userconfig\` reads another config`, true),
    '--globalconfig': runs(`\`${p} --globalconfig\` reads another config`, true),
    '--node-options': runs(`\`${p} --node-options\` changes how node runs`, true),
  });
  const sub = operandIndices(argv, 'C', ['--prefix', '--dir', '--cwd'])[0];
  if (sub !== undefined && /^(exec|x|dlx|explore)$/.test(argv[sub] ?? ''))
    out.push(at(sub, `\`${p} ${argv[sub] ?? ''}\` runs a package's program`));
  return out;
}

/** pip install/download/wheel build packages, which runs their setup code. */
function pip(argv: readonly string[], from = 1): Finding[] {
  const sub = operandIndices(argv.slice(from - 1)).map((k) => k + from - 1)[0];
  if (sub !== undefined && /^(install|download|wheel)$/.test(argv[sub] ?? ''))
    return [at(sub, `\`pip ${argv[sub] ?? ''}\` runs the packages' build code`)];
  return [];
}

/** An interpreter given code inline (`-c`, `-e`) or on standard input. */
function interpreter(codeLetters: string, argLetters: string, info: RegExp): Check {
  return (argv) => {
    const p = argv[0] ?? '';
    for (let i = 1; i < argv.length; i++) {
      const w = argv[i] ?? '';
      if (w === '-') return [at(i, `\`${p} -\` runs code from standard input`)];
      if (!w.startsWith('-') || w === '--') {
        return w === '--' && argv[i + 1] === undefined
          ? [at(i, `\`${p}\` runs code from standard input`)]
          : [];
      }
      if (info.test(w)) return [];
      if (/^--(eval|print|command)(=|$)/.test(w)) return [at(i, `\`${p} ${w}\` runs inline code`)];
      if (w.startsWith('--')) continue;
      for (let j = 1; j < w.length; j++) {
        const letter = w[j] ?? '';
        if (codeLetters.includes(letter)) return [at(i, `\`${p} -${letter}\` runs inline code`)];
        if (letter === 'm' && p.startsWith('python')) {
          const mod = w.slice(j + 1) || argv[i + 1] || '';
          return mod === 'pip' ? pip(argv, w.slice(j + 1) ? i + 1 : i + 2) : [];
        }
        if (argLetters.includes(letter)) {
          if (j === w.length - 1) i++;
          break;
        }
      }
    }
    return [at(argv.length, `\`${p}\` runs code from standard input`)];
  };
}

const INFO = /^(-V|--version|-v|-h|--help)$/;

// Interpreters given code inline (`-c`, `-e`) or on standard input.
const INTERPRETER_CHECKS: Readonly<Record<string, Check>> = {
  python: interpreter('c', 'WXQ', INFO),
  node: interpreter('ep', 'r', INFO),
  nodejs: interpreter('ep', 'r', INFO),
  bun: interpreter('ep', 'r', INFO),
  perl: interpreter('eE', 'IMmxdD', INFO),
  ruby: interpreter('e', 'IrCEFx', INFO),
  php: interpreter('r', 'cdz', INFO),
  lua: interpreter('e', 'l', INFO),
  Rscript: interpreter('e', '', INFO),
  osascript: interpreter('e', 'l', INFO),
  pwsh: (argv) =>
    argv.some((w) => /^-(c|command|encodedcommand|ec)$/i.test(w))
      ? [at(1, '`pwsh -Command` runs inline code')]
      : [],
};

/** Programs that run code given inline or on standard input. */
export const INTERPRETER_PROGRAMS: readonly string[] = Object.keys(INTERPRETER_CHECKS);

/** Program -> check, for the programs of this file. */
export const RUNNER_CHECKS: Readonly<Record<string, Check>> = {
  git,
  curl,
  wget,
  npm: packageManager,
  pnpm: packageManager,
  yarn: packageManager,
  pip: (argv) => pip(argv),
  pip3: (argv) => pip(argv),
  ...INTERPRETER_CHECKS,
};
