import { spawn } from 'node:child_process';
import { findExecutable } from '../health/find-executable';

/** Why the sandbox cannot run here, and what the user can do about it. */
export interface SandboxProblem {
  readonly reason: string;
  readonly fix: string;
}

/** Raised instead of ever running a command unsandboxed on the runner's own initiative. */
export class SandboxUnavailableError extends Error {
  constructor(readonly problem: SandboxProblem) {
    super(`The sandbox cannot start: ${problem.reason}. ${problem.fix}`);
    this.name = 'SandboxUnavailableError';
  }
}

export interface SandboxCheckDeps {
  readonly platform: NodeJS.Platform;
  readonly which: (name: string) => Promise<string | null>;
  /** Run bwrap with a throwaway user namespace; resolves to null or bwrap's complaint. */
  readonly probeUserNamespace: (bwrap: string) => Promise<string | null>;
}

const USERNS_FIX =
  'Enable unprivileged user namespaces: `sysctl -w kernel.unprivileged_userns_clone=1` (Debian), ' +
  '`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04+), or ' +
  '`sysctl -w user.max_user_namespaces=15000`; inside a container, run it with user namespaces ' +
  'allowed (and, as root, with CAP_SETFCAP).';

function runProbe(bwrap: string): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(
      bwrap,
      ['--unshare-user', '--unshare-pid', '--unshare-net', '--ro-bind', '/', '/', 'true'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 2000) stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : stderr.trim().split('\n')[0] || `bwrap exited with ${code}`);
    });
  });
}

export const defaultSandboxCheckDeps: SandboxCheckDeps = {
  platform: process.platform,
  which: (name) => findExecutable(name),
  probeUserNamespace: runProbe,
};

/** Find out, without running anything the user asked for, whether the sandbox can start. */
export async function checkSandbox(
  deps: SandboxCheckDeps = defaultSandboxCheckDeps,
): Promise<SandboxProblem | null> {
  if (deps.platform === 'darwin') {
    if (!(await deps.which('sandbox-exec'))) {
      return {
        reason: 'sandbox-exec (Seatbelt) is missing from this macOS',
        fix: 'It ships with macOS; check that /usr/bin is on PATH.',
      };
    }
    if (!(await deps.which('rg'))) {
      return {
        reason: 'ripgrep (rg) is not installed; the sandbox uses it to find protected files',
        fix: 'Install it: brew install ripgrep.',
      };
    }
    return null;
  }
  if (deps.platform !== 'linux') {
    return {
      reason: `commands cannot be sandboxed on ${deps.platform}; the sandbox supports Linux (bubblewrap) and macOS (Seatbelt)`,
      fix: 'Run VT Code Desktop on Linux or macOS, or choose to run this command unsandboxed explicitly.',
    };
  }
  const missing: Array<[binary: string, pkg: string, purpose: string]> = [
    ['bwrap', 'bubblewrap', 'it isolates the command'],
    ['socat', 'socat', 'it carries the allow-listed network into the sandbox'],
    ['rg', 'ripgrep', 'the sandbox uses it to find protected files'],
  ];
  for (const [binary, pkg, purpose] of missing) {
    if (!(await deps.which(binary))) {
      return {
        reason: `${binary} is not installed; ${purpose}`,
        fix: `Install it: apt-get install ${pkg} (dnf install ${pkg}, pacman -S ${pkg}).`,
      };
    }
  }
  const bwrap = (await deps.which('bwrap')) ?? 'bwrap';
  const refusal = await deps.probeUserNamespace(bwrap);
  if (refusal !== null) {
    return {
      reason: `bubblewrap cannot create a user namespace on this machine (${refusal})`,
      fix: USERNS_FIX,
    };
  }
  return null;
}

/** Turn an error from the sandbox runtime into a problem a person can act on. */
export function explainSandboxError(error: unknown): SandboxProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (/bwrap|bubblewrap/i.test(message) && /not (installed|executable)/i.test(message)) {
    return { reason: message, fix: 'Install it: apt-get install bubblewrap.' };
  }
  if (/socat/i.test(message)) return { reason: message, fix: 'Install it: apt-get install socat.' };
  if (/ripgrep|\brg\b/i.test(message)) {
    return { reason: message, fix: 'Install it: apt-get install ripgrep.' };
  }
  if (/namespace|uid map|CAP_SETFCAP|Operation not permitted/i.test(message)) {
    return { reason: message, fix: USERNS_FIX };
  }
  if (/unsupported platform/i.test(message)) {
    return {
      reason: message,
      fix: 'The sandbox supports Linux (bubblewrap) and macOS (Seatbelt).',
    };
  }
  return {
    reason: message,
    fix: 'Set SRT_DEBUG=1 to see the sandbox runtime log, which names the failing step.',
  };
}
