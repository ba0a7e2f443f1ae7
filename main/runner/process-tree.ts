import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  readonly comm: string;
}

/** Parse /proc/<pid>/stat; the command name is in parentheses and may itself hold ") ". */
export function parseStat(text: string): ProcessInfo | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // After the name: state ppid pgrp session ...
  const [ppid, pgid, sid] = [fields[1], fields[2], fields[3]].map(Number);
  if (!Number.isInteger(pid) || ppid === undefined || pgid === undefined || sid === undefined) {
    return null;
  }
  if (![ppid, pgid, sid].every(Number.isInteger)) return null;
  return { pid, ppid, pgid, sid, comm: text.slice(open + 1, close) };
}

/** Every process visible now (Linux: /proc; elsewhere an empty list). */
export function listProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const info = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (info) out.push(info);
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/**
 * The processes a run owns: the root, its descendants, and anything still in the root's session
 * or process group (a background job whose parent has exited is re-parented but keeps both).
 */
export function runProcesses(
  rootPid: number,
  all: readonly ProcessInfo[] = listProcesses(),
): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of all) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const found = new Map<number, ProcessInfo>();
  const queue = all.filter((p) => p.pid === rootPid || p.sid === rootPid || p.pgid === rootPid);
  while (queue.length > 0) {
    const p = queue.pop();
    if (!p || found.has(p.pid)) continue;
    found.set(p.pid, p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return [...found.values()];
}

/** Whether a process exists (signal 0); a zombie counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Send a signal, ignoring a process that is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already, or never ours
  }
}

/** Programs of the sandbox itself: interrupting them would tear it down without a grace period. */
const SANDBOX_INFRA = new Set(['bwrap', 'socat', 'apply-seccomp', 'sandbox-exec']);

/**
 * The processes of a run that should get the polite interrupt: the command's own, not the
 * sandbox's machinery nor the wrapper shells that hold it up (ancestors of that machinery).
 */
export function interruptTargets(all: readonly ProcessInfo[]): ProcessInfo[] {
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const holding = new Set<number>();
  for (const p of all) {
    if (!SANDBOX_INFRA.has(p.comm)) continue;
    holding.add(p.pid);
    let parent = byPid.get(p.ppid);
    while (parent && !holding.has(parent.pid)) {
      holding.add(parent.pid);
      parent = byPid.get(parent.ppid);
    }
  }
  return all.filter((p) => !holding.has(p.pid));
}

/** SIGKILL a run's root, its process group and every process it owns; returns the pids hit. */
export function killRun(rootPid: number): number[] {
  const procs = runProcesses(rootPid);
  signal(-rootPid, 'SIGKILL');
  for (const p of procs) signal(p.pid, 'SIGKILL');
  signal(rootPid, 'SIGKILL');
  return procs.map((p) => p.pid);
}
