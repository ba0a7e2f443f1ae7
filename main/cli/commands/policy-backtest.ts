import { transitionCounts, activityStoreFor } from '../../activity/what-if';
import { backtestStore } from '../../activity/backtest';
import { configFiles, loadConfig } from '../../config/config-loader';
import { SessionSealer } from '../../guard/session-seal';
import { UsageError } from '../command';
import { openPolicyContext, workspaceOf, type PolicySubcommand } from './policy-context';

/**
 * `policy backtest`: this workspace's recorded decisions replayed under `--config NEW.toml`; one
 * JSON line per decision that would change (newest first), then a summary line.
 */
export const policyBacktest: PolicySubcommand = {
  usage: 'vtcode-desktop policy backtest --workspace DIR --config NEW.toml',
  options: {},
  async run(values, rest, io) {
    if (typeof values.config !== 'string' || values.config === '')
      throw new UsageError('--config NEW.toml is required: the policy to replay the history under');
    if (rest.length > 0) throw new UsageError(`unexpected argument: ${rest[0] ?? ''}`);
    const workspace = workspaceOf(values);
    const started = performance.now();
    // --config is the new policy; the log is where this workspace's own files put it.
    const ctx = await openPolicyContext(values, io);
    if (!ctx) return 1;
    const inForce = await loadConfig(configFiles({ workspace, env: io.env }));
    const store = activityStoreFor(
      workspace,
      inForce.config.audit,
      ctx.paths,
      SessionSealer.forDataDir(ctx.paths.dataDir),
    );
    // Nothing a backtest decides is executed: its engine may remember file lookups.
    const result = await backtestStore(await ctx.engine(undefined, { replayOnly: true }), store);
    for (const change of result.changed) io.stdout.write(`${JSON.stringify(change)}\n`);
    const summary = {
      checked: result.checked,
      changed: result.changed.length,
      transitions: Object.fromEntries(
        transitionCounts(result.changed).map((t) => [`${t.before}->${t.after}`, t.count]),
      ),
      skipped: result.skipped,
      log: store.dir,
      ms: Math.round(performance.now() - started),
    };
    io.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  },
};
