/*
 * Files in the workspace that a program reads and runs as code: `npm test` runs whatever
 * package.json says, `make` runs the Makefile's recipes. An allowed command is only as safe as
 * these files, so the executor asks again when one of them changed (see file-baseline.ts).
 */
import { programBasename } from './normalise';

/** A file a program interprets, relative to the command's directory (`*` within the last name). */
export interface InterpretedFile {
  readonly file: string;
  /** Why a change matters, for the reason the user reads: "scripts run as commands". */
  readonly why: string;
  /** A name the program also reads deeper down (packages/a/package.json, tests/conftest.py). */
  readonly anywhere?: boolean;
}

/** What one command part interprets: nothing, these files, or files the policy cannot locate. */
export type Interpretation =
  | { readonly kind: 'none' }
  | { readonly kind: 'files'; readonly files: readonly InterpretedFile[] }
  | { readonly kind: 'unknown'; readonly reason: string };

interface Entry {
  readonly files: readonly string[];
  readonly why: string;
  /** Options that point the program at other files or directories: the policy cannot follow. */
  readonly elsewhere?: readonly string[];
  /** The options above count only before the subcommand (`git -C dir`, not `git log -C`). */
  readonly globalOptions?: boolean;
  /** Subcommands that run code from files nobody can list (`go generate`): always ask. */
  readonly always?: Readonly<Record<string, string>>;
}

const JS = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'];
const named = (base: string, exts: readonly string[] = JS): string[] =>
  exts.map((e) => `${base}.${e}`);

const NODE_PACKAGE: Entry = {
  files: [
    'package.json',
    '.npmrc',
    'pnpm-workspace.yaml',
    '.pnpmfile.cjs',
    '.pnpmfile.mjs',
    '.yarnrc',
    '.yarnrc.yml',
    '.pnp.cjs',
    '.yarn/releases/*',
    'bunfig.toml',
  ],
  why: 'scripts run as commands',
  elsewhere: [
    '--prefix',
    '-C',
    '--dir',
    '--cwd',
    '-w',
    '--workspace',
    '--workspaces',
    '-ws',
  ].concat(['--filter', '-F', '-r', '--recursive', 'workspace', 'workspaces']),
};

const PYTHON_PROJECT: Entry = {
  files: ['pyproject.toml', 'setup.py', 'setup.cfg', 'uv.toml', 'poetry.toml', 'Pipfile'],
  why: 'the project file names commands and build code',
  elsewhere: ['--directory', '--project', '-C'],
};

const TABLE: Readonly<Record<string, Entry>> = {
  npm: NODE_PACKAGE,
  pnpm: NODE_PACKAGE,
  yarn: NODE_PACKAGE,
  bun: NODE_PACKAGE,
  make: {
    files: ['Makefile', 'makefile', 'GNUmakefile', '*.mk'],
    why: 'recipes run as commands',
    elsewhere: ['-C', '--directory', '-f', '--file', '--makefile', '-I', '--include-dir'],
  },
  just: {
    files: ['justfile', 'Justfile', 'JUSTFILE', '.justfile'],
    why: 'recipes run as commands',
    elsewhere: ['-f', '--justfile', '-d', '--working-directory'],
  },
  task: {
    files: ['Taskfile', 'taskfile', 'Taskfile.dist'].flatMap((b) => named(b, ['yml', 'yaml'])),
    why: 'tasks run as commands',
    elsewhere: ['-d', '--dir', '-t', '--taskfile'],
  },
  cargo: {
    files: ['Cargo.toml', 'build.rs', '.cargo/config.toml', '.cargo/config'].concat([
      'rust-toolchain',
      'rust-toolchain.toml',
    ]),
    why: 'build scripts, runners and toolchains it names run as code',
    elsewhere: ['--manifest-path', '-C', '--config', '-Z'],
  },
  go: {
    files: ['go.mod', 'go.work'],
    why: 'its toolchain line picks the program that runs',
    elsewhere: ['-C', '-modfile'],
    always: { generate: 'go generate runs the commands in the //go:generate lines of .go files' },
  },
  pip: {
    files: ['setup.py', 'setup.cfg', 'pyproject.toml', 'requirements.txt'],
    why: 'package builds run its setup code',
    elsewhere: ['-r', '--requirement', '-c', '--constraint'],
  },
  uv: PYTHON_PROJECT,
  poetry: PYTHON_PROJECT,
  pdm: PYTHON_PROJECT,
  hatch: PYTHON_PROJECT,
  pipenv: PYTHON_PROJECT,
  pytest: {
    files: [
      'conftest.py',
      'tests/conftest.py',
      'test/conftest.py',
      'pytest.ini',
      '.pytest.ini',
    ].concat(['pyproject.toml', 'tox.ini', 'setup.cfg']),
    why: 'conftest.py and the plugins its config names run as code',
    elsewhere: ['-c', '--config-file', '--rootdir', '--confcutdir', '-p'],
  },
  tox: {
    files: ['tox.ini', 'pyproject.toml', 'setup.cfg', 'toxfile.py'],
    why: 'its commands run',
    elsewhere: ['-c', '--conf', '--root'],
  },
  nox: { files: ['noxfile.py'], why: 'sessions run as code', elsewhere: ['-f', '--noxfile'] },
  rake: {
    files: ['Rakefile', 'rakefile', 'Rakefile.rb', 'rakefile.rb', 'rakelib/*.rake'],
    why: 'tasks run as code',
    elsewhere: ['-f', '--rakefile', '-C', '--directory', '-R', '--rakelibdir'],
  },
  bundle: {
    files: ['Gemfile', 'gems.rb', '.bundle/config'],
    why: 'the Gemfile is Ruby code',
    elsewhere: ['--gemfile'],
  },
  gradle: {
    files: ['build.gradle', 'settings.gradle', 'buildSrc/build.gradle']
      .flatMap((f) => [f, `${f}.kts`])
      .concat(['gradle.properties', 'gradle/wrapper/gradle-wrapper.properties']),
    why: 'build scripts run as code',
    elsewhere: ['-p', '--project-dir', '-b', '--build-file', '-c', '--settings-file', '-I'].concat([
      '--init-script',
      '--include-build',
    ]),
  },
  mvn: {
    files: ['pom.xml', '.mvn/maven.config', '.mvn/jvm.config', '.mvn/extensions.xml'].concat([
      '.mvn/wrapper/maven-wrapper.properties',
    ]),
    why: 'the plugins it names run as code',
    elsewhere: ['-f', '--file'],
  },
  composer: {
    files: ['composer.json'],
    why: 'scripts run as commands',
    elsewhere: ['-d', '--working-dir'],
  },
  deno: {
    files: ['deno.json', 'deno.jsonc'],
    why: 'tasks and import maps pick the code that runs',
    elsewhere: ['--config', '-c'],
  },
  dotnet: {
    files: ['*.csproj', '*.fsproj', '*.vbproj', '*.sln', 'Directory.Build.props'].concat([
      'Directory.Build.targets',
      'global.json',
      'NuGet.config',
      'nuget.config',
    ]),
    why: 'MSBuild targets run commands',
    elsewhere: ['--project'],
  },
  swift: {
    files: ['Package.swift'],
    why: 'the manifest is Swift code',
    elsewhere: ['--package-path'],
  },
  mix: { files: ['mix.exs'], why: 'the project file is Elixir code' },
  cmake: {
    files: ['CMakeLists.txt', 'CMakePresets.json', '*.cmake'],
    why: 'CMakeLists.txt runs commands',
    elsewhere: ['-S', '-C', '-P'],
  },
  meson: { files: ['meson.build', 'meson_options.txt'], why: 'build files run commands' },
  bazel: {
    files: [
      'WORKSPACE',
      'WORKSPACE.bazel',
      'MODULE.bazel',
      'BUILD',
      'BUILD.bazel',
      '.bazelrc',
    ].concat(['.bazelversion']),
    why: 'build files and .bazelrc run code',
  },
  sbt: {
    files: ['build.sbt', 'project/*.sbt', 'project/*.scala', 'project/build.properties'],
    why: 'build definitions are Scala code',
  },
  git: {
    files: ['.git/config', '.git/hooks/*', '.husky/*', '.githooks/*', '.pre-commit-config.yaml'],
    why: 'git runs the hooks and programs they name',
    elsewhere: ['-C', '--git-dir', '--work-tree', '-c', '--config-env', '--exec-path'],
    globalOptions: true,
  },
};

// Tools that load a config file as code, run directly or through npx / `pnpm exec` / `yarn x`.
const TOOLS: Readonly<Record<string, Entry>> = {
  vitest: {
    files: [...named('vitest.config'), ...named('vitest.workspace'), ...named('vite.config')],
    why: 'its config is code',
    elsewhere: ['-c', '--config', '--root', '-r', '--dir', '--workspace', '--project'],
  },
  jest: {
    files: [...named('jest.config'), 'jest.config.json', 'package.json'],
    why: 'its config names setup code',
    elsewhere: ['-c', '--config', '--rootDir', '--roots'],
  },
  eslint: {
    files: [...named('eslint.config'), '.eslintrc.js', '.eslintrc.cjs'],
    why: 'its config is code',
    elsewhere: ['-c', '--config', '--resolve-plugins-relative-to', '--rulesdir'],
  },
  prettier: {
    files: [...named('prettier.config'), ...named('.prettierrc'), '.prettierrc', 'package.json']
      .concat(['.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml', '.prettierrc.json5'])
      .concat(['.prettierrc.toml']),
    why: 'its config is code or names plugins',
    elsewhere: ['--config', '--plugin'],
  },
  vite: { files: named('vite.config'), why: 'its config is code', elsewhere: ['-c', '--config'] },
  playwright: {
    files: named('playwright.config'),
    why: 'its config is code',
    elsewhere: ['-c', '--config'],
  },
  webpack: {
    files: named('webpack.config'),
    why: 'its config is code',
    elsewhere: ['-c', '--config'],
  },
  rollup: {
    files: named('rollup.config'),
    why: 'its config is code',
    elsewhere: ['-c', '--config'],
  },
  next: { files: named('next.config'), why: 'its config is code' },
  stylelint: {
    files: [...named('stylelint.config'), ...named('.stylelintrc')],
    why: 'its config is code',
    elsewhere: ['--config'],
  },
  babel: { files: [...named('babel.config'), ...named('.babelrc')], why: 'its config is code' },
};

const ALIASES: Readonly<Record<string, string>> = {
  gmake: 'make',
  gradlew: 'gradle',
  mvnw: 'mvn',
  'py.test': 'pytest',
  bazelisk: 'bazel',
};

/** Programs that fetch and run a package's program (`npx tool`). */
export const PACKAGE_RUNNERS: ReadonlySet<string> = new Set(['npx', 'pnpx', 'bunx']);
/** Subcommands of npm, pnpm, yarn and bun that do the same (`pnpm dlx tool`). */
export const RUNNER_SUBCOMMANDS: ReadonlySet<string> = new Set(['exec', 'x', 'dlx']);

// Interpreters: the options whose value is a separate word (so it is not taken for the script),
// and the options after which the code is in the argument, not a file (decided as written).
interface Interpreter {
  readonly valued: readonly string[];
  readonly inline: RegExp;
}
const SHELL: Interpreter = { valued: ['-o', '+o', '-O', '+O'], inline: /^-[a-zA-Z]*c[a-zA-Z]*$/ };
const JS_INLINE = /^(-e|-p|--eval|--print)$/;
const INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  node: {
    valued: ['-r', '--require', '--import', '--loader', '--experimental-loader', '-C'],
    inline: JS_INLINE,
  },
  nodejs: { valued: ['-r', '--require', '--import', '--loader'], inline: JS_INLINE },
  tsx: { valued: ['-r', '--require', '--import', '--tsconfig'], inline: JS_INLINE },
  'ts-node': { valued: ['-r', '--require', '-P', '--project', '-O'], inline: JS_INLINE },
  'vite-node': { valued: ['-r', '--root', '-c', '--config'], inline: /^-e$/ },
  python: { valued: ['-W', '-X', '-Q'], inline: /^-c$/ },
  python2: { valued: ['-W', '-X', '-Q'], inline: /^-c$/ },
  python3: { valued: ['-W', '-X'], inline: /^-c$/ },
  pypy3: { valued: ['-W', '-X'], inline: /^-c$/ },
  ruby: { valued: ['-r', '-I', '-C', '-E'], inline: /^-e$/ },
  perl: { valued: ['-I', '-M', '-m'], inline: /^-[eE]$/ },
  php: { valued: ['-c', '-d', '-z'], inline: /^-[rR]$/ },
  Rscript: { valued: [], inline: /^-e$/ },
  bash: SHELL,
  sh: SHELL,
  zsh: SHELL,
  dash: SHELL,
  ksh: SHELL,
  deno: { valued: [], inline: /^$/ },
  bun: { valued: [], inline: /^(-e|--eval|-p|--print)$/ },
};

/** Programs that run a script file or inline code (node, python3, bash ...). */
export const INTERPRETER_NAMES: readonly string[] = Object.keys(INTERPRETERS);

const SCRIPT_WHY = 'it is the script that runs';

/** True when `word` sets one of `options` (`-C dir`, `-Cdir`, `--dir=x`, `-sC dir`). */
function usesOption(word: string, options: readonly string[]): boolean {
  for (const o of options) {
    if (!o.startsWith('-')) continue;
    if (word === o) return true;
    if (o.startsWith('--')) {
      if (word.startsWith(`${o}=`)) return true;
    } else if (o.length === 2 && /^-[A-Za-z0-9]/.test(word) && !word.startsWith('--')) {
      if (word.slice(1).includes(o.charAt(1))) return true;
    }
  }
  return false;
}

function fromEntry(entry: Entry, argv: readonly string[]): Interpretation {
  const sub = argv.slice(1).find((w) => !w.startsWith('-')) ?? '';
  const always = entry.always?.[sub];
  if (always) return { kind: 'unknown', reason: always };
  const options = entry.elsewhere ?? [];
  for (const word of argv.slice(1)) {
    if (word === '--' || (entry.globalOptions === true && !word.startsWith('-'))) break;
    if (usesOption(word, options) || (options.includes(word) && !word.startsWith('-'))) {
      return {
        kind: 'unknown',
        reason: `\`${argv[0] ?? ''} ${word}\` reads its files from a place the policy does not check`,
      };
    }
  }
  const files = entry.files.map((file) => ({
    file,
    why: entry.why,
    anywhere: !file.includes('*') && !file.includes('/'),
  }));
  return { kind: 'files', files };
}

function merge(a: Interpretation, b: Interpretation): Interpretation {
  if (a.kind === 'unknown') return a;
  if (b.kind === 'unknown') return b;
  if (a.kind === 'none') return b;
  if (b.kind === 'none') return a;
  return { kind: 'files', files: [...a.files, ...b.files] };
}

/** The first word that is not an option (or an option's value), from index `start`. */
function firstOperand(argv: readonly string[], start: number, valued: readonly string[]): number {
  for (let i = start; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (w === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (!w.startsWith('-') && !w.startsWith('+')) return i;
    if (valued.includes(w)) i++;
  }
  return -1;
}

function interpreterScript(name: string, argv: readonly string[]): Interpretation {
  const it = INTERPRETERS[name];
  if (!it) return { kind: 'none' };
  const start = (name === 'deno' || name === 'bun') && argv[1] === 'run' ? 2 : 1;
  for (let i = start; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if ((!w.startsWith('-') && !w.startsWith('+')) || w === '--') break;
    if (it.inline.test(w)) return { kind: 'none' };
    if (name.startsWith('python') && w === '-m') return interpretation(argv.slice(i + 1));
    if (it.valued.includes(w)) i++;
  }
  const at = firstOperand(argv, start, it.valued);
  const script = at >= 0 ? argv[at] : undefined;
  return script ? { kind: 'files', files: [{ file: script, why: SCRIPT_WHY }] } : { kind: 'none' };
}

/** What the command part `argv` (normalised, wrappers peeled) reads from the workspace as code. */
export function interpretation(argv: readonly string[]): Interpretation {
  const word = argv[0] ?? '';
  if (word === '') return { kind: 'none' };
  const base = programBasename(word);
  const name = ALIASES[base] ?? base;
  // `./gradlew`, `scripts/build.sh`: the program is itself a workspace file.
  let result: Interpretation = word.includes('/')
    ? { kind: 'files', files: [{ file: word, why: 'it is the program that runs' }] }
    : { kind: 'none' };
  const entry = TABLE[name];
  if (entry) result = merge(result, fromEntry(entry, argv));
  const tool = TOOLS[name];
  if (tool) result = merge(result, fromEntry(tool, argv));
  const runsFile =
    (name === 'deno' || name === 'bun') &&
    (argv[1] === 'run' || /\.[cm]?[jt]sx?$/.test(argv[1] ?? ''));
  if ((name in INTERPRETERS && name !== 'deno' && name !== 'bun') || runsFile)
    result = merge(result, interpreterScript(name, argv));
  // `npx vitest`, `pnpm exec eslint`, `yarn prettier`: the tool's config too.
  let at = -1;
  if (PACKAGE_RUNNERS.has(name)) at = firstOperand(argv, 1, ['-p', '--package']);
  else if (TABLE[name] === NODE_PACKAGE)
    at = RUNNER_SUBCOMMANDS.has(argv[1] ?? '') ? firstOperand(argv, 2, ['-p', '--package']) : 1;
  if (at > 0) {
    const inner = argv.slice(at);
    const innerName = programBasename(inner[0] ?? '');
    if (TOOLS[innerName] || innerName in INTERPRETERS)
      result = merge(result, interpretation(inner));
  }
  return result;
}

/** Package managers whose `run` runs a package.json script (npm, pnpm, yarn, bun). */
export const NODE_PACKAGE_MANAGERS: readonly string[] = Object.keys(TABLE).filter(
  (name) => TABLE[name] === NODE_PACKAGE,
);

/** Every file name of the table, for the baseline taken when a session starts. */
export function tableFiles(): readonly string[] {
  const all = new Set<string>();
  for (const e of [...Object.values(TABLE), ...Object.values(TOOLS)])
    for (const f of e.files) all.add(f);
  return [...all];
}
