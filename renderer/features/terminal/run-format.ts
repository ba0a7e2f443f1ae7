import type { RunExitEvent, RunSandbox } from '../../../shared/domain/runner';
import type { RunPhase } from './runs-reducer';

/** `850 ms`, `4.2 s`, `3 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** `512 B`, `3.4 KB`, `12.0 MB` (binary units, short words). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export type StatusTone = 'running' | 'ok' | 'error' | 'warn';

/** How a run ended (or that it has not), in words, with a tone for its colour. */
export function exitText(exit: RunExitEvent): { text: string; tone: StatusTone } {
  switch (exit.outcome) {
    case 'exited':
      if (exit.signal) return { text: `Killed by ${exit.signal}`, tone: 'error' };
      return exit.exitCode === 0
        ? { text: 'Exit 0', tone: 'ok' }
        : { text: `Exit ${exit.exitCode ?? '?'}`, tone: 'error' };
    case 'cancelled':
      return { text: `Cancelled${exit.signal ? ` (${exit.signal})` : ''}`, tone: 'warn' };
    case 'timed_out':
      return { text: `Timed out${exit.signal ? ` (${exit.signal})` : ''}`, tone: 'warn' };
    case 'failed':
      return { text: 'Failed to run', tone: 'error' };
    default: {
      const unreachable: never = exit.outcome;
      throw new Error(`unknown outcome ${String(unreachable)}`);
    }
  }
}

/** The status of a run in a word or two. */
export function phaseText(phase: RunPhase): { text: string; tone: StatusTone } {
  switch (phase.state) {
    case 'queued':
      return { text: 'Waiting for the network', tone: 'warn' };
    case 'running':
      return { text: 'Running', tone: 'running' };
    case 'cancelling':
      return { text: 'Cancelling…', tone: 'warn' };
    case 'finished':
      return exitText(phase.exit);
    default: {
      const unreachable: never = phase;
      throw new Error(`unknown phase ${JSON.stringify(unreachable)}`);
    }
  }
}

const MODE_WORDS = { read_only: 'read-only', workspace_write: 'workspace write' } as const;
const NETWORK_WORDS = {
  allowlist_only: 'allow-listed hosts only',
  allow_all: 'all hosts',
  block_all: 'blocked',
} as const;

/** What the sandbox allowed this run, in words; `danger` when it ran unsandboxed. */
export function sandboxText(sandbox: RunSandbox): {
  label: string;
  detail: string;
  danger: boolean;
} {
  if (sandbox.kind === 'unsandboxed') {
    return {
      label: 'Unsandboxed',
      detail:
        sandbox.because === 'danger_full_access'
          ? 'sandbox mode danger_full_access: full access to files and network'
          : 'you chose to run this command without the sandbox',
      danger: true,
    };
  }
  const hosts =
    sandbox.network !== 'allowlist_only'
      ? ''
      : sandbox.allowedDomains.length > 0
        ? ` (${sandbox.allowedDomains.join(', ')})`
        : ' (none listed)';
  const denied = sandbox.deniedDomains?.length ? `; never ${sandbox.deniedDomains.join(', ')}` : '';
  return {
    label: `Sandboxed: ${MODE_WORDS[sandbox.mode]}`,
    detail: `network ${NETWORK_WORDS[sandbox.network]}${hosts}${denied}`,
    danger: false,
  };
}
