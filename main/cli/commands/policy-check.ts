import { createInterface } from 'node:readline';
import type { PolicyEngine } from '../../policy/engine';
import { UsageError } from '../command';
import { openPolicyContext, type PolicySubcommand } from './policy-context';

const MAX_LINE = 1_100_000;

/** Decide one batch line: `{"command":"..."}` or `{"path":"...","op":"read"|"write"}`. */
function decideLine(engine: PolicyEngine, line: string): object {
  if (line.length > MAX_LINE) return { error: 'the line is longer than 1.1 MB' };
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (error) {
    return { error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { error: 'each line must be a JSON object with "command" or "path"' };
  }
  const { command, path, op } = input as { command?: unknown; path?: unknown; op?: unknown };
  if (command !== undefined) {
    if (typeof command !== 'string') return { error: '"command" must be a string' };
    const { decision, parts, reason } = engine.decideCommand(command);
    return { decision, parts, reason };
  }
  if (path !== undefined) {
    if (typeof path !== 'string') return { error: '"path" must be a string' };
    const pathOp = op ?? 'read';
    if (pathOp !== 'read' && pathOp !== 'write') return { error: '"op" must be "read" or "write"' };
    const { decision, resolved, reason, rule } = engine.decidePath(path, pathOp);
    return { decision, path, op: pathOp, resolved, reason, rule };
  }
  return { error: 'each line needs "command" or "path"' };
}

/** `policy check`: decide one command, or JSON lines from stdin. */
export const policyCheck: PolicySubcommand = {
  usage: `vtcode-desktop policy check --workspace DIR [--config FILE] -- "COMMAND"
       vtcode-desktop policy check --workspace DIR [--config FILE] --batch < lines.jsonl`,
  options: { batch: { type: 'boolean', default: false } },
  async run(values, rest, io) {
    if (values.batch && rest.length > 0)
      throw new UsageError('give either --batch or a command, not both');
    if (!values.batch && rest.length !== 1)
      throw new UsageError('give the command as one argument after --');
    const ctx = await openPolicyContext(values, io);
    if (!ctx) return 1;
    const e = await ctx.engine();
    if (!values.batch) {
      const { decision, parts, reason } = e.decideCommand(rest[0] ?? '');
      io.stdout.write(`${JSON.stringify({ decision, parts, reason })}\n`);
      return 0;
    }
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      const out = line.trim() === '' ? { error: 'empty line' } : decideLine(e, line);
      io.stdout.write(`${JSON.stringify(out)}\n`);
    }
    return 0;
  },
};
