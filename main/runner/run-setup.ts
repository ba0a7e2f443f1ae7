import { existsSync } from 'node:fs';
import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type {
  RunExitEvent,
  RunOutcome,
  RunRequest,
  RunSandbox,
  RunSummary,
} from '../../shared/domain/runner';
import { compileProtection, type ProtectionModel } from '../guard/model';
import type { TamperWatch } from '../guard/tamper';
import type { AppPaths } from '../platform/paths';
import type { RunResult } from './active-run';
import { runtimeNetwork } from './host-rules';
import type { NetworkLease, WrappedCommand } from './sandbox';
import type { RunnerSandboxSettings } from './settings';
import type { SandboxRules } from './warm-wrap';

/* What a run is set up with before it starts: its folders, shell, script and sandbox record. */

/** A run the runner would not start; nothing was spawned. */
export class RunRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunRefusedError';
  }
}

/** The real path of an existing directory; RunRefusedError otherwise. */
export async function directory(path: string, label: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new RunRefusedError(`${label} does not exist: ${path}`);
  }
  if (!(await stat(real)).isDirectory()) {
    throw new RunRefusedError(`${label} is not a directory: ${path}`);
  }
  return real;
}

/** bash where it exists (what commands are written for), else the POSIX shell. */
export function pickShell(): string {
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The script every sandboxed run executes. The command itself arrives in the environment, so the
 * wrapped invocation does not depend on it and can be prepared before the command is known (see
 * warm-wrap.ts); it is unset before the command runs, so nothing the command starts inherits it.
 */
export const COMMAND_VARIABLE = 'VTCODE_RUN_COMMAND';

/*
 * Inside the sandbox the runtime starts its network bridges (socat listening on the proxy ports)
 * in the background and runs the command at once, so a command that connects straight away can
 * find nothing listening ("connection refused") on a loaded machine. In bash (whose /dev/tcp can
 * connect without starting a process) this waits, at most a second per port, until the ports
 * named in HTTP_PROXY and FTP_PROXY (the SOCKS bridge) accept a connection.
 */
const WAIT_FOR_BRIDGES = [
  'if [ -n "${BASH_VERSION:-}" ]; then',
  '  for __vt_port in "${HTTP_PROXY##*:}" "${FTP_PROXY##*:}"; do',
  "    case $__vt_port in ''|*[!0-9]*) continue ;; esac",
  '    __vt_try=0',
  '    until : 2>/dev/null 3<>"/dev/tcp/127.0.0.1/$__vt_port" || [ "$__vt_try" -ge 100 ]; do',
  '      sleep 0.01',
  '      __vt_try=$((__vt_try + 1))',
  '    done',
  '  done',
  '  unset __vt_port __vt_try',
  'fi',
].join('\n');

/** The script a sandboxed run executes (its command comes in COMMAND_VARIABLE). */
export function sandboxScript(runTmp: string | null): string {
  const tmpExport = runTmp ? `export TMPDIR=${shellQuote(runTmp)}\n` : '';
  return `${tmpExport}${WAIT_FOR_BRIDGES}\neval "unset ${COMMAND_VARIABLE}\n$${COMMAND_VARIABLE}"`;
}

/**
 * The app's own folder in the workspace (sessions, activity log), made before a run that may ask
 * about hosts: for a protected path that does not exist, bubblewrap stands an empty file in its
 * place while the command runs, and the answer (recorded while the command runs) could not be
 * written to the activity log there. Left alone if anything is there already.
 */
export async function ensureStateDir(workspace: string): Promise<void> {
  const dir = join(workspace, '.vtcode');
  try {
    await lstat(dir);
  } catch {
    await mkdir(dir).catch(() => undefined);
  }
}

/** An error as words. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether `child` is `parent` or inside it. */
export function within(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** How a run is contained, as its record says (unsandboxed only when settings or the request say so). */
export function sandboxRecord(settings: RunnerSandboxSettings, request: RunRequest): RunSandbox {
  if (settings.mode === 'danger_full_access') {
    return { kind: 'unsandboxed', because: 'danger_full_access' };
  }
  if (request.unsandboxed) return { kind: 'unsandboxed', because: 'user_override' };
  const net = runtimeNetwork(settings.network);
  return {
    kind: 'sandboxed',
    mode: settings.mode,
    network: settings.network.policy,
    allowedDomains: net.allowedDomains,
    ...(net.deniedDomains.length > 0 ? { deniedDomains: net.deniedDomains } : {}),
  };
}

/** A run waiting for the network proxy (other rules hold it); cancel works while it waits. */
export interface QueuedRun {
  readonly summary: RunSummary;
  readonly reason: string;
  /** The run's end: after it ran, or once it was cancelled while waiting. */
  readonly result: Promise<RunResult>;
  readonly lease: NetworkLease;
}

/** Everything a run needs once it may start. */
export interface Launch {
  readonly runId: string;
  readonly summary: RunSummary;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly request: RunRequest;
  readonly settings: RunnerSandboxSettings;
  readonly wrapped: WrappedCommand | null;
  readonly lease: NetworkLease | null;
  readonly rules: SandboxRules | null;
  readonly tamper: TamperWatch | null;
  readonly cleanupTmp: () => Promise<void>;
}

/** The protection model of a run: the same one the path policy uses, compiled now. */
export function protectionOf(
  workspace: string,
  settings: RunnerSandboxSettings,
  appPaths: AppPaths,
): ProtectionModel {
  const sp = settings.sensitivePaths;
  const { home, configDir, dataDir } = appPaths;
  return compileProtection({
    workspace,
    home,
    sensitive: {
      useDefaults: sp.useDefaults,
      additional: sp.additional.map((entry) => ({
        entry,
        source: { layer: 'user', file: null },
      })),
      exceptions: sp.exceptions,
      appDirs: [configDir, dataDir],
    },
    dotfiles: settings.dotfiles,
  });
}

/** The exit of a run that never started (cancelled while it waited, or it could not spawn). */
export function unstartedExit(
  summary: RunSummary,
  outcome: Extract<RunOutcome, 'cancelled' | 'failed'>,
  message: string,
): RunExitEvent {
  return {
    runId: summary.runId,
    outcome,
    exitCode: null,
    signal: null,
    durationMs: Date.now() - Date.parse(summary.startedAt),
    totalBytes: 0,
    keptBytes: 0,
    droppedBytes: 0,
    violations: 0,
    sandbox: summary.sandbox,
    message,
  };
}
