import { describe, expect, it } from 'vitest';
import { interpretation, tableFiles } from './interpreted-files';

const files = (argv: string[]): string[] => {
  const how = interpretation(argv);
  return how.kind === 'files' ? how.files.map((f) => f.file) : [how.kind];
};

describe('interpretation', () => {
  it.each([
    ['npm test', ['package.json', '.npmrc']],
    ['npm run build', ['package.json']],
    ['npm test -- -C x', ['package.json']],
    ['pnpm install', ['package.json', 'pnpm-workspace.yaml', '.pnpmfile.cjs']],
    ['yarn test', ['.yarnrc.yml']],
    ['bun test', ['bunfig.toml']],
    ['make', ['Makefile', 'makefile', 'GNUmakefile', '*.mk']],
    ['make -j4 all', ['Makefile']],
    ['gmake', ['Makefile']],
    ['just build', ['justfile', 'Justfile', '.justfile']],
    ['cargo test', ['build.rs', 'Cargo.toml', '.cargo/config.toml']],
    ['go test ./...', ['go.mod', 'go.work']],
    ['pip install .', ['setup.py', 'pyproject.toml']],
    ['python -m pip install .', ['setup.py']],
    ['python3 -m pytest -q', ['conftest.py', 'tests/conftest.py', 'pytest.ini']],
    ['pytest', ['conftest.py']],
    ['py.test', ['conftest.py']],
    ['python setup.py install', ['setup.py']],
    ['tox -e py', ['tox.ini']],
    ['nox', ['noxfile.py']],
    ['rake test', ['Rakefile', 'rakelib/*.rake']],
    ['bundle exec rspec', ['Gemfile']],
    ['./gradlew build', ['./gradlew', 'build.gradle', 'build.gradle.kts', 'settings.gradle']],
    ['mvn test', ['pom.xml', '.mvn/extensions.xml']],
    ['composer test', ['composer.json']],
    ['deno task dev', ['deno.json', 'deno.jsonc']],
    ['task build', ['Taskfile.yml', 'Taskfile.yaml']],
    ['dotnet build', ['*.csproj', 'Directory.Build.targets']],
    ['npx vitest run', ['vitest.config.ts', 'vite.config.mjs']],
    ['vitest run', ['vitest.config.ts']],
    ['node_modules/.bin/vitest', ['node_modules/.bin/vitest', 'vitest.config.ts']],
    ['pnpm exec eslint .', ['package.json', 'eslint.config.js']],
    ['yarn prettier --check .', ['package.json', '.prettierrc.json', 'prettier.config.mjs']],
    ['npx jest', ['jest.config.js', 'package.json']],
    ['node scripts/check.js', ['scripts/check.js']],
    ['node -r ts-node/register x.js', ['x.js']],
    ['bash build.sh', ['build.sh']],
    ['sh -e ./ci.sh', ['./ci.sh']],
    ['bun run x.ts', ['x.ts', 'package.json']],
    ['deno run main.ts', ['main.ts', 'deno.json']],
    ['npx tsx scripts/gen.ts', ['scripts/gen.ts']],
    ['git status', ['.git/config', '.git/hooks/*', '.husky/*', '.pre-commit-config.yaml']],
    ['git log -C --oneline', ['.git/config']],
  ])('%s reads %j', (command, expected) => {
    expect(files(command.split(' '))).toEqual(expect.arrayContaining(expected));
  });

  it.each([
    'ls -la',
    'cat package.json',
    'echo npm test',
    'node -e 1',
    'python -c 1',
    'bash -c ls',
    'rg make',
  ])('%s reads nothing', (command) => {
    expect(interpretation(command.split(' '))).toEqual({ kind: 'none' });
  });

  it.each([
    'npm --prefix sub test',
    'npm test --prefix=sub',
    'npm -C sub test',
    'npm test -ws',
    'npm test --workspace a',
    'pnpm -r test',
    'pnpm --filter a test',
    'yarn --cwd sub test',
    'yarn workspace a test',
    'make -C sub',
    'make -Csub',
    'make -sC sub',
    'make --directory=sub',
    'make -f other.mk',
    'cargo test --manifest-path sub/Cargo.toml',
    'go generate ./...',
    'go -C sub test',
    'git -C sub status',
    'git -c core.fsmonitor=x status',
    'pytest -c other.ini',
    'gradle -p sub build',
    'mvn -f sub/pom.xml test',
    'npx vitest --config other.ts',
    'just -f other build',
  ])('%s reads files the policy cannot locate', (command) => {
    expect(interpretation(command.split(' ')).kind).toBe('unknown');
  });

  it('says why go generate is always asked about', () => {
    expect(interpretation(['go', 'generate'])).toEqual({
      kind: 'unknown',
      reason: 'go generate runs the commands in the //go:generate lines of .go files',
    });
  });

  it('lists every file name once for the session baseline', () => {
    const all = tableFiles();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(['package.json', 'Makefile', 'build.rs', '*.mk']));
  });
});
