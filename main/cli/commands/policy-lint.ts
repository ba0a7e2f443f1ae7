import { readWorkspaceActivity } from '../../activity/activity-read';
import { toolCatalog } from '../../agent/tools/registry';
import { pathPrograms } from '../../health/path-programs';
import { lintResult } from '../../policy/lint/lint';
import { UsageError } from '../command';
import { openPolicyContext, type PolicySubcommand } from './policy-context';

/** `policy lint`: one JSON line per finding; exit 1 when any is an error. */
export const policyLint: PolicySubcommand = {
  usage: 'vtcode-desktop policy lint --workspace DIR [--config FILE]',
  options: {},
  async run(values, rest, io) {
    if (rest.length > 0)
      throw new UsageError(`policy lint takes no arguments, got ${rest.join(' ')}`);
    const ctx = await openPolicyContext(values, io);
    if (!ctx) return 1;
    const engine = await ctx.engine();
    const activity = await readWorkspaceActivity(ctx.workspace, ctx.config.audit, ctx.paths);
    for (const warning of activity.warnings) io.stderr.write(`activity log: ${warning}\n`);
    const { findings } = lintResult(ctx.config, {
      engine,
      knownTools: toolCatalog(),
      activity: activity.records,
      programs: await pathPrograms(io.env.PATH ?? ''),
    });
    for (const f of findings) io.stdout.write(`${JSON.stringify(f)}\n`);
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
};
