import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { configFiles, loadConfig } from '../../config/config-loader';
import type { VtcodeConfig } from '../../config/effective';
import { createPolicyEngine, type PolicyEngine } from '../../policy/engine';
import { createShellParser } from '../../policy/shell-parser';
import { resolveAppPaths, type AppPaths } from '../../platform/paths';
import { UsageError, type CliIo } from '../command';

/** Parsed option values of a `policy` subcommand (its own options plus --workspace, --config). */
export type PolicyValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** One `policy <sub>` command: its usage, its own options, and what it does. */
export interface PolicySubcommand {
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(values: PolicyValues, rest: readonly string[], io: CliIo): Promise<number>;
}

/** What most subcommands start from: the workspace, its effective config, and an engine. */
export interface PolicyContext {
  readonly workspace: string;
  readonly config: VtcodeConfig;
  readonly paths: AppPaths;
  /**
   * The engine for `config` (or another config, e.g. a backtest's), built on demand; a
   * `replayOnly` one remembers file lookups and only replays recorded decisions.
   */
  engine(config?: VtcodeConfig, options?: { readonly replayOnly?: boolean }): Promise<PolicyEngine>;
}

/** The `--workspace DIR` a subcommand was given, checked to be a directory. */
export function workspaceOf(values: PolicyValues): string {
  const given = values.workspace;
  if (typeof given !== 'string' || given === '')
    throw new UsageError('--workspace DIR is required');
  const workspace = resolve(given);
  let isDir: boolean;
  try {
    isDir = statSync(workspace).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`--workspace ${given} is not a directory`);
  return workspace;
}

/**
 * Load the workspace's effective config (or only `--config FILE`). Errors in the files are
 * printed to stderr and give null (exit 1).
 */
export async function openPolicyContext(
  values: PolicyValues,
  io: CliIo,
): Promise<PolicyContext | null> {
  const workspace = workspaceOf(values);
  const explicit = typeof values.config === 'string' ? values.config : null;
  const { config, ok } = await loadConfig(configFiles({ workspace, env: io.env, explicit }));
  if (!ok) {
    printIssues(config, io);
    return null;
  }
  const paths = resolveAppPaths(io.env);
  let parser: ReturnType<typeof createShellParser> | null = null;
  return {
    workspace,
    config,
    paths,
    engine: async (other, options) =>
      createPolicyEngine({
        replayOnly: options?.replayOnly === true,
        config: other ?? config,
        parser: await (parser ??= createShellParser()),
        workspace,
        home: paths.home,
        appDirs: [paths.configDir, paths.dataDir],
      }),
  };
}

/** Print a config's errors, one line each: `file: line N: key: message`. */
export function printIssues(config: VtcodeConfig, io: CliIo): void {
  for (const issue of config.issues.filter((i) => i.severity === 'error')) {
    const where = [issue.file, issue.line !== null ? `line ${issue.line}` : null, issue.key]
      .filter(Boolean)
      .join(': ');
    io.stderr.write(`${where}: ${issue.message}\n`);
  }
}
