import { decisionSchema } from '../../../shared/domain/policy';
import { ActivityStore, activityDir, type ReadRecord } from '../../activity/activity-store';
import { SessionSealer } from '../../guard/session-seal';
import { UsageError } from '../command';
import { openPolicyContext, type PolicySubcommand, type PolicyValues } from './policy-context';

// A day, or a day and a time (with an optional zone): nothing Date.parse would guess at.
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function sinceOf(values: PolicyValues): Date | undefined {
  const given = values.since;
  if (given === undefined) return undefined;
  const at = typeof given === 'string' && ISO_DATE.test(given) ? new Date(given) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new UsageError(
      `--since ${String(given)} is not a date (2026-11-30 or 2026-11-30T10:00Z)`,
    );
  return at;
}

function limitOf(values: PolicyValues): number | null {
  const given = values.limit;
  if (given === undefined) return null;
  if (typeof given !== 'string' || !/^[1-9]\d{0,8}$/.test(given))
    throw new UsageError(`--limit ${String(given)} is not a positive whole number`);
  return Number(given);
}

/** `policy activity`: the workspace's activity log, one JSON line per record, oldest first. */
export const policyActivity: PolicySubcommand = {
  usage: `vtcode-desktop policy activity --workspace DIR [--since DATE] [--decision allow|prompt|deny] [--tool T] [--limit N]`,
  options: {
    since: { type: 'string' },
    decision: { type: 'string' },
    tool: { type: 'string' },
    limit: { type: 'string' },
  },
  async run(values, rest, io) {
    if (rest.length > 0) throw new UsageError(`unexpected argument: ${rest[0] ?? ''}`);
    const since = sinceOf(values);
    const decision =
      values.decision === undefined ? null : decisionSchema.safeParse(values.decision);
    if (decision && !decision.success) throw new UsageError('--decision is allow, prompt or deny');
    const tool = typeof values.tool === 'string' ? values.tool : null;
    const limit = limitOf(values);
    const ctx = await openPolicyContext(values, io);
    if (!ctx) return 1;
    const { workspace, config, paths } = ctx;
    if (!config.audit.enabled)
      io.stderr.write('[activity] logging is off here ([permissions] audit_enabled = false)\n');
    // Read only: nothing is written, and the app's key tells its own lines from planted ones.
    const store = new ActivityStore(
      workspace,
      activityDir(workspace, config.audit, paths.home),
      SessionSealer.forDataDir(paths.dataDir),
      (text) => text,
    );
    const print = (r: ReadRecord) =>
      io.stdout.write(`${JSON.stringify({ ...r.record, sealed: r.sealed })}\n`);
    // With --limit only the newest N are kept, so a long log is streamed, never held whole.
    const kept: ReadRecord[] = [];
    let next = 0;
    for await (const r of store.read({
      ...(since ? { since } : {}),
      onWarning: (w) => io.stderr.write(`[activity] ${w}\n`),
    })) {
      if (decision?.success && r.record.decision !== decision.data) continue;
      if (tool !== null && r.record.tool !== tool) continue;
      if (limit === null) print(r);
      else {
        kept[next % limit] = r;
        next++;
      }
    }
    // The ring holds the newest `limit`; the oldest of them sits where the next one would go.
    const start = next > (limit ?? 0) ? next % (limit ?? 1) : 0;
    for (let i = 0; i < kept.length; i++) print(kept[(start + i) % kept.length]!);
    return 0;
  },
};
