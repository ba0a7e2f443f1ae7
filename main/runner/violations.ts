import { isAbsolute, relative } from 'node:path';

// Written through bwrap's own --dev and --proc mounts: allowed, though the monitor reports them.
const ALWAYS_WRITABLE = ['/dev', '/proc'];

function within(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The Linux violation monitor reports every write *attempt* it sees and judges it against the
 * rules the runtime was started with, not a run's own. A `deny <syscall> <path>` line whose path
 * lies in the run's writable paths was allowed by bubblewrap, so it is not a violation.
 */
export function isViolationInsideAllowed(line: string, allowWrite: readonly string[]): boolean {
  const match = /^deny (\S+) (\/.*)$/.exec(line);
  if (!match || match[1]?.startsWith('network')) return false;
  const path = match[2] ?? '';
  return [...allowWrite, ...ALWAYS_WRITABLE].some((dir) => within(path, dir));
}
