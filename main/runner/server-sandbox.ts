import { lstatSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { isReservedEnvVar } from '../../shared/domain/tokens';
import { sandboxFsRules } from '../guard/sandbox-rules';
import { isolateHardLinks, repairTampering, watchForTampering } from '../guard/tamper';
import type { AppPaths } from '../platform/paths';
import { scrubEnv } from './env-scrub';
import {
  COMMAND_VARIABLE,
  RunRefusedError,
  directory,
  pickShell,
  protectionOf,
  sandboxScript,
  within,
} from './run-setup';
import type { NetworkLease, SandboxBackend } from './sandbox';
import type { RunnerSandboxSettings } from './settings';

/*
 * A long-lived program (an MCP server) wrapped in the same sandbox as commands, from the same
 * protection model: secrets and the app's folders unreadable, nothing writable but its own temp
 * folder and the folders its config names inside the workspace (which may hold no protected
 * file; what it plants there for other programs to run is moved aside), and no network at all unless it asks for it, then the workspace's network policy
 * with nobody to ask (a host no rule allows is refused). It is always sandboxed, whatever the
 * sandbox mode says for commands: it runs without anyone watching each thing it does.
 */

export interface ServerSandboxInput {
  /** A unique id (violations and leases are keyed by it). */
  readonly id: string;
  readonly program: string;
  readonly args: readonly string[];
  readonly workspace: string;
  /** Where it starts; must be inside the workspace (default: the workspace). */
  readonly cwd: string | null;
  readonly settings: RunnerSandboxSettings;
  /** Folders it may write, as the config names them (relative to the workspace, or absolute). */
  readonly writable: readonly string[];
  readonly network: boolean;
  /** Plain variables from the config, set inside the sandbox; secret-looking names are dropped. */
  readonly env: Readonly<Record<string, string>>;
  /** Secrets from the keychain, given as they are (the names are checked here). */
  readonly secrets: Readonly<Record<string, string>>;
}

/** What to spawn: `file args` in `cwd` with `env`; `release` once the process has exited. */
export interface ServerLaunch {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Variables from the config that were dropped (secret-looking names): never their values. */
  readonly dropped: readonly string[];
  /**
   * Move aside what it planted in its writable folders that git, a shell or an editor would run
   * (a new repository's hooks or config, a `.git` file, an auto-run file); a line per repair.
   */
  check(): string[];
  /**
   * Why the files hidden from it changed since it started (a secret file created, or replaced by
   * a rename, which a mount made at start does not follow); null while they have not. A server
   * whose answer is not null must be started again to be held to them.
   */
  stale(): string | null;
  release(): Promise<void>;
}

/** What a wrap hides and shows, with the file behind each hidden path (a rename swaps it). */
function readMasks(rules: {
  denyRead: readonly string[];
  allowRead: readonly string[];
}): Map<string, string> {
  const out = new Map<string, string>();
  for (const path of rules.denyRead) {
    let node = '-';
    try {
      const info = lstatSync(path);
      node = `${info.isDirectory() ? 'd' : 'f'}${info.ino}`;
    } catch {
      // Absent now: the mask stands in its place.
    }
    out.set(`deny ${path}`, node);
  }
  for (const path of rules.allowRead) out.set(`allow ${path}`, '');
  return out;
}

/** The first difference between two mask maps, in words; null when there is none. */
function maskChange(before: Map<string, string>, now: Map<string, string>): string | null {
  for (const [key, node] of now) {
    const was = before.get(key);
    if (was === undefined) return `${key.replace(/^\w+ /, '')} is new`;
    if (was !== node) return `${key.replace(/^\w+ /, '')} was replaced`;
  }
  for (const key of before.keys()) if (!now.has(key)) return `${key.replace(/^\w+ /, '')} is gone`;
  return null;
}

const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

/** Resolve the folders a server may write; each must be an existing folder inside the workspace. */
async function writableFolders(workspace: string, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const real = await directory(isAbsolute(p) ? p : join(workspace, p), `writable folder ${p}`);
    if (!within(real, workspace))
      throw new RunRefusedError(`writable folder ${p} is outside the workspace ${workspace}`);
    out.push(real);
  }
  return out;
}

/**
 * A server's writable folders hold no protected path. A read-only mount covers a file only until
 * git or the app replaces it (a rename: `git config`, a saved vtcode.toml), and a server lives long
 * enough to write the new one, or the lock file before it is renamed into place.
 */
function refuseProtectedInside(
  workspace: string,
  named: readonly string[],
  writable: readonly string[],
  protectedPaths: readonly string[],
): void {
  for (const [i, folder] of writable.entries()) {
    const inside = protectedPaths.find((p) => within(p, folder) || within(folder, p));
    if (inside === undefined) continue;
    throw new RunRefusedError(
      `writable folder ${named[i]} holds ${relative(workspace, inside) || '.'}, which must stay read-only: ` +
        'a server may write only folders without protected files (not the workspace root, nor a repository)',
    );
  }
}

/** Wrap a server for the sandbox; throws RunRefusedError or SandboxUnavailableError. */
export async function wrapServer(
  backend: SandboxBackend,
  appPaths: AppPaths,
  hostEnv: NodeJS.ProcessEnv,
  input: ServerSandboxInput,
): Promise<ServerLaunch> {
  const workspace = await directory(input.workspace, 'The workspace');
  const start = input.cwd === null ? '.' : input.cwd;
  const cwd = await directory(
    isAbsolute(start) ? start : join(workspace, start),
    'The server folder',
  );
  if (!within(cwd, workspace))
    throw new RunRefusedError(`The server folder ${cwd} is outside the workspace ${workspace}`);
  for (const name of Object.keys(input.secrets))
    if (isReservedEnvVar(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new RunRefusedError(`${name} cannot be given to a server (the sandbox sets it itself)`);
  const writable = await writableFolders(workspace, input.writable);
  const model = protectionOf(workspace, input.settings, appPaths);
  const rules = sandboxFsRules(model, writable.length > 0);
  const masks = readMasks(rules);
  refuseProtectedInside(workspace, input.writable, writable, rules.denyWrite);
  // A hard link in a writable folder must not reach a protected file.
  isolateHardLinks(rules.denyWrite);
  // Each writable folder is watched as a workspace of its own: what appears in it is all the
  // server's doing (it held no protected path when it started).
  const watches = writable.map((w) => watchForTampering(protectionOf(w, input.settings, appPaths)));
  const tmp = await backend.tempFolder('mcp-');
  const shell = pickShell();
  let lease: NetworkLease | null = null;
  let release: (() => void) | null = null;
  try {
    const wrapped = await backend.wrap({
      runId: input.id,
      command: sandboxScript(tmp),
      shell,
      allowWrite: [...writable, tmp],
      // No protected path lies in a writable folder (refused above); the rest is read-only.
      denyWrite: [],
      denyRead: rules.denyRead,
      allowRead: rules.allowRead,
      network: input.network,
      withoutTokens: true,
    });
    release = () => wrapped.release();
    if (input.network) {
      lease = await backend.lease({
        runId: input.id,
        command: [input.program, ...input.args].join(' '),
        rules: input.settings.network,
        origin: null,
        workspace,
      });
      await lease.ready;
    }
    const own: Record<string, string> = {
      HOME: appPaths.home,
      TMPDIR: tmp,
      // Node's own fetch reaches the proxy only when told to (Node 22.21 and later).
      ...(input.network ? { NODE_USE_ENV_PROXY: '1' } : {}),
    };
    // The server's variables are set by the script inside the sandbox, never on the wrapper
    // (bash, then bwrap) that runs outside it: PATH, LD_PRELOAD or BASH_ENV there would run a
    // program of the workspace unsandboxed.
    const { dropped: secretLooking } = scrubEnv({}, input.env);
    const dropped = Object.keys(input.env).filter(
      (name) => secretLooking.includes(name) || name in own || name === COMMAND_VARIABLE,
    );
    const inside = Object.entries(input.env).filter(([name]) => !dropped.includes(name));
    const line = [
      ...[...inside, ...Object.entries(input.secrets)].map(([k, v]) => `export ${k}=${quote(v)}`),
      `exec ${[input.program, ...input.args].map(quote).join(' ')}`,
    ].join('\n');
    const { env } = scrubEnv(hostEnv, {}, { ...own, [COMMAND_VARIABLE]: line });
    let done = false;
    const held = lease;
    const unwrap = release;
    return {
      file: wrapped.file,
      args: [...wrapped.args],
      cwd,
      env,
      // Only the file's own variables: the app's environment is never the server's business.
      dropped,
      stale: () => {
        const now = sandboxFsRules(
          protectionOf(workspace, input.settings, appPaths),
          writable.length > 0,
        );
        const change = maskChange(masks, readMasks(now));
        return change === null ? null : `what it must not read changed: ${change}`;
      },
      check: () =>
        watches.flatMap((w, i) =>
          repairTampering(w).map((line) => `in writable folder ${input.writable[i]}: ${line}`),
        ),
      release: async () => {
        if (done) return;
        done = true;
        held?.release();
        unwrap();
        await rm(tmp, { recursive: true, force: true });
      },
    };
  } catch (error) {
    lease?.release();
    release?.();
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}
