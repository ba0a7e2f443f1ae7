import { describe, expect, it } from 'vitest';
import type { RunExitEvent } from '../../../shared/domain/runner';
import { exitText, formatBytes, formatDuration, phaseText, sandboxText } from './run-format';

const exit = (extra: Partial<RunExitEvent>): RunExitEvent => ({
  runId: 'run-a',
  outcome: 'exited',
  exitCode: 0,
  signal: null,
  durationMs: 1,
  totalBytes: 0,
  keptBytes: 0,
  droppedBytes: 0,
  violations: 0,
  sandbox: { kind: 'unsandboxed', because: 'user_override' },
  message: null,
  ...extra,
});

describe('run format', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [4200, '4.2 s'],
    [185_000, '3 min 05 s'],
  ])('duration %d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [512, '512 B'],
    [3480, '3.4 KB'],
    [12 * 1024 * 1024, '12.0 MB'],
  ])('%d bytes is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    [{}, 'Exit 0', 'ok'],
    [{ exitCode: 2 }, 'Exit 2', 'error'],
    [{ exitCode: null, signal: 'SIGKILL' }, 'Killed by SIGKILL', 'error'],
    [{ outcome: 'cancelled', exitCode: null, signal: 'SIGTERM' }, 'Cancelled (SIGTERM)', 'warn'],
    [{ outcome: 'timed_out', exitCode: null, signal: 'SIGKILL' }, 'Timed out (SIGKILL)', 'warn'],
    [{ outcome: 'failed', exitCode: null }, 'Failed to run', 'error'],
  ] as const)('exit %j reads %s', (extra, text, tone) => {
    expect(exitText(exit(extra))).toEqual({ text, tone });
  });

  it('says running and cancelling', () => {
    expect(phaseText({ state: 'running' }).text).toBe('Running');
    expect(phaseText({ state: 'cancelling' }).text).toBe('Cancelling…');
  });

  it('labels an unsandboxed run as danger, whatever the reason', () => {
    for (const because of ['danger_full_access', 'user_override'] as const) {
      const t = sandboxText({ kind: 'unsandboxed', because });
      expect(t.label).toBe('Unsandboxed');
      expect(t.danger).toBe(true);
    }
  });

  it('names mode, network and the allowed hosts of a sandboxed run', () => {
    const t = sandboxText({
      kind: 'sandboxed',
      mode: 'read_only',
      network: 'allowlist_only',
      allowedDomains: ['registry.npmjs.org'],
    });
    expect(t).toEqual({
      label: 'Sandboxed: read-only',
      detail: 'network allow-listed hosts only (registry.npmjs.org)',
      danger: false,
    });
  });
});
