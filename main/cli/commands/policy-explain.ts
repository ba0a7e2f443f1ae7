import { agentModeSchema } from '../../../shared/domain/agent';
import { toolCatalog } from '../../agent/tools/registry';
import { explainPolicy } from '../../policy/explain';
import { UsageError } from '../command';
import { openPolicyContext, type PolicySubcommand } from './policy-context';

/** `policy explain`: one JSON line per tool, setting and rule list of the effective policy. */
export const policyExplain: PolicySubcommand = {
  usage:
    'vtcode-desktop policy explain --workspace DIR [--config FILE] [--mode plan|ask|auto_edit|full_auto]',
  options: { mode: { type: 'string' } },
  async run(values, rest, io) {
    if (rest.length > 0)
      throw new UsageError(`policy explain takes no arguments, got ${rest.join(' ')}`);
    const mode = values.mode === undefined ? undefined : agentModeSchema.safeParse(values.mode);
    if (mode && !mode.success)
      throw new UsageError(`--mode must be one of ${agentModeSchema.options.join(', ')}`);
    const ctx = await openPolicyContext(values, io);
    if (!ctx) return 1;
    const { permissions } = await ctx.engine();
    const explained = explainPolicy(ctx.config, {
      tools: toolCatalog(),
      mode: mode?.data,
      permissions,
    });
    for (const entry of [...explained.tools, ...explained.rules])
      io.stdout.write(`${JSON.stringify(entry)}\n`);
    return 0;
  },
};
