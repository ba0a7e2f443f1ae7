import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { configFiles, loadConfig } from '../../config/config-loader';
import { createPolicyEngine, type PolicyEngine } from '../../policy/engine';
import { createShellParser } from '../../policy/shell-parser';
import { resolveAppPaths } from '../../platform/paths';
import { UsageError, type CliCommand } from '../command';

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

export const policyCommand: CliCommand = {
  name: 'policy',
  summary: 'Check commands and paths against the tool policy (vtcode.toml)',
  usage: `vtcode-desktop policy check --workspace DIR [--config FILE] -- "COMMAND"
       vtcode-desktop policy check --workspace DIR [--config FILE] --batch < lines.jsonl

  --workspace DIR   the workspace the command would run in
  --config FILE     use only this vtcode.toml (default: the workspace's, over the user's)
  --batch           read JSON lines {"command":"..."} or {"path":"...","op":"read"|"write"}
                    from stdin and print one JSON line per input line`,

  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        workspace: { type: 'string' },
        config: { type: 'string' },
        batch: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    const [sub, ...rest] = positionals;
    if (sub !== 'check')
      throw new UsageError(`unknown policy subcommand: ${sub ?? '(none)'}; try "policy check"`);
    if (!values.workspace) throw new UsageError('--workspace DIR is required');
    const workspace = resolve(values.workspace);
    let isDir: boolean;
    try {
      isDir = statSync(workspace).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new UsageError(`--workspace ${values.workspace} is not a directory`);
    if (values.batch && rest.length > 0)
      throw new UsageError('give either --batch or a command, not both');
    if (!values.batch && rest.length !== 1)
      throw new UsageError('give the command as one argument after --');

    const { config, ok } = await loadConfig(
      configFiles({ workspace, env: io.env, explicit: values.config ?? null }),
    );
    if (!ok) {
      for (const issue of config.issues.filter((i) => i.severity === 'error')) {
        const where = [issue.file, issue.line !== null ? `line ${issue.line}` : null, issue.key]
          .filter(Boolean)
          .join(': ');
        io.stderr.write(`${where}: ${issue.message}\n`);
      }
      return 1;
    }
    const paths = resolveAppPaths(io.env);
    const engine = createPolicyEngine({
      config,
      parser: await createShellParser(),
      workspace,
      home: paths.home,
      appDirs: [paths.configDir, paths.dataDir],
    });

    if (!values.batch) {
      const { decision, parts, reason } = engine.decideCommand(rest[0] ?? '');
      io.stdout.write(`${JSON.stringify({ decision, parts, reason })}\n`);
      return 0;
    }
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      const out = line.trim() === '' ? { error: 'empty line' } : decideLine(engine, line);
      io.stdout.write(`${JSON.stringify(out)}\n`);
    }
    return 0;
  },
};
