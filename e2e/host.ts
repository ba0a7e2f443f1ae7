import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export interface RunningHost {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly home: string;
  readonly workspace: string;
  readonly root: string;
  /** Everything the host printed so far (attached to failed tests). */
  log(): string;
  /** Stop the host; its temp dirs go too unless `keepDirs` (to start another host on them). */
  stop(options?: { keepDirs?: boolean }): Promise<void>;
}

export type SandboxDirs = Awaited<ReturnType<typeof makeSandboxDirs>>;

/** A temp home and workspace for one test, kept apart from the user's real files. */
export async function makeSandboxDirs(options: { trusted?: boolean } = {}): Promise<{
  root: string;
  home: string;
  workspace: string;
}> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'vtcode-e2e-')));
  const home = join(root, 'home');
  const workspace = join(home, 'projects', 'demo-app');
  await mkdir(workspace, { recursive: true });
  if (options.trusted ?? true) {
    // As if the person had chosen "Trust this folder" before (the trust spec starts without it).
    const data = join(home, '.local', 'share', 'vtcode-desktop');
    await mkdir(data, { recursive: true });
    const folders = { [workspace]: { trust: 'trusted', at: new Date().toISOString() } };
    await writeFile(join(data, 'trusted-folders.json'), JSON.stringify({ version: 1, folders }));
  }
  return { root, home, workspace };
}

/** The environment of a host started for a test: temp HOME and XDG folders, nothing else of ours. */
export function testEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: process.env.LANG ?? 'C.UTF-8',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    // A keychain service of its own per test home: keys one spec saves never reach another.
    VTCODE_DESKTOP_KEYCHAIN_SERVICE: `vtcode-desktop-test-${basename(dirname(home)).replace(/[^A-Za-z0-9._-]/g, '_')}`,
    ...(process.env.DBUS_SESSION_BUS_ADDRESS
      ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS }
      : {}),
  };
}

/**
 * Start `vtcode-desktop serve --json` from the build and wait for its URL. `dirs` reuses the home
 * and workspace of a stopped host (a restart); `extraEnv` adds to the test environment.
 */
export async function startHost(
  options: { dirs?: SandboxDirs; extraEnv?: Record<string, string>; trusted?: boolean } = {},
): Promise<RunningHost> {
  const dirs =
    options.dirs ??
    (await makeSandboxDirs(options.trusted === undefined ? {} : { trusted: options.trusted }));
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'out', 'main', 'cli.js'), 'serve', '--json'],
    {
      cwd: dirs.workspace,
      env: { ...testEnv(dirs.home), ...options.extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const ready = new Promise<{ url: string; origin: string; token: string }>(
    (resolveReady, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`host did not start in 15 s:\n${output}`)),
        15_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((l) => l.startsWith('{'));
        if (line) {
          clearTimeout(timer);
          resolveReady(JSON.parse(line) as { url: string; origin: string; token: string });
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`host exited with ${code}:\n${output}`));
      });
    },
  );
  const info = await ready;
  return {
    ...info,
    ...dirs,
    log: () => output,
    stop: async ({ keepDirs = false } = {}) => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepDirs) await rm(dirs.root, { recursive: true, force: true });
    },
  };
}
