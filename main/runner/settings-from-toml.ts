import { parse } from 'smol-toml';
import {
  DEFAULT_RUNNER_SETTINGS,
  runnerSandboxSettingsSchema,
  type NetworkPolicy,
  type RunnerSandboxSettings,
  type SandboxMode,
} from './settings';

/*
 * Maps the runner's keys of a vtcode.toml onto RunnerSandboxSettings, for the CLI's --config
 * until main/config's loader is wired in (it then maps its effective config onto the same type).
 * Unknown keys are ignored; a key of the wrong type is an error naming it.
 */

export class RunnerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerConfigError';
  }
}

type Table = Record<string, unknown>;

function table(value: unknown, key: string): Table {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunnerConfigError(`[${key}] must be a table`);
  }
  return value as Table;
}

function pick<T>(
  t: Table,
  key: string,
  kind: 'string' | 'number' | 'boolean',
  where: string,
): T | undefined {
  const value = t[key];
  if (value === undefined) return undefined;
  if (typeof value !== kind) throw new RunnerConfigError(`${where}.${key} must be a ${kind}`);
  return value as T;
}

function strings(t: Table, key: string, where: string): string[] | undefined {
  const value = t[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new RunnerConfigError(`${where}.${key} must be a list of strings`);
  }
  return value;
}

function mode(sandbox: Table): SandboxMode | undefined {
  const raw =
    pick<string>(sandbox, 'default_policy', 'string', 'sandbox') ??
    pick<string>(sandbox, 'default_mode', 'string', 'sandbox');
  const enabled = pick<boolean>(sandbox, 'enabled', 'boolean', 'sandbox');
  // VT Code's `enabled = false` runs commands unsandboxed; here that must be said explicitly.
  if (enabled === false) return 'danger_full_access';
  if (raw === undefined) return undefined;
  if (raw === 'read_only' || raw === 'workspace_write' || raw === 'danger_full_access') return raw;
  throw new RunnerConfigError(
    `sandbox.default_policy = "${raw}" is not supported here (read_only, workspace_write, danger_full_access)`,
  );
}

function network(t: Table): RunnerSandboxSettings['network'] {
  let policy = pick<string>(t, 'policy', 'string', 'sandbox.network');
  if (policy === undefined) {
    if (pick<boolean>(t, 'block_all', 'boolean', 'sandbox.network')) policy = 'block_all';
    else if (pick<boolean>(t, 'allow_all', 'boolean', 'sandbox.network')) policy = 'allow_all';
  }
  const allowlistRaw = t.allowlist ?? [];
  if (!Array.isArray(allowlistRaw))
    throw new RunnerConfigError('sandbox.network.allowlist must be a list');
  const allowlist = allowlistRaw.map((entry, i) => {
    const e = table(entry, `sandbox.network.allowlist[${i}]`);
    const domain = pick<string>(e, 'domain', 'string', `sandbox.network.allowlist[${i}]`);
    if (!domain) throw new RunnerConfigError(`sandbox.network.allowlist[${i}] needs a domain`);
    const port = pick<number>(e, 'port', 'number', `sandbox.network.allowlist[${i}]`);
    return port === undefined ? { domain } : { domain, port };
  });
  const resolved = (policy ??
    (allowlist.length > 0 ? 'allowlist_only' : 'block_all')) as NetworkPolicy;
  return { policy: resolved, allowlist };
}

/** Runner settings from vtcode.toml text; throws RunnerConfigError naming the bad key. */
export function runnerSettingsFromToml(text: string): RunnerSandboxSettings {
  let doc: Table;
  try {
    doc = parse(text);
  } catch (error) {
    throw new RunnerConfigError(
      `not valid TOML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const sandbox = table(doc.sandbox, 'sandbox');
  const sensitive = table(sandbox.sensitive_paths, 'sandbox.sensitive_paths');
  const timeouts = table(doc.timeouts, 'timeouts');
  const pty = table(doc.pty, 'pty');
  const d = DEFAULT_RUNNER_SETTINGS;
  const candidate = {
    mode: mode(sandbox) ?? d.mode,
    network:
      sandbox.network === undefined
        ? d.network
        : network(table(sandbox.network, 'sandbox.network')),
    sensitivePaths: {
      useDefaults:
        pick<boolean>(sensitive, 'use_defaults', 'boolean', 'sandbox.sensitive_paths') ?? true,
      additional: strings(sensitive, 'additional', 'sandbox.sensitive_paths') ?? [],
      exceptions: strings(sensitive, 'exceptions', 'sandbox.sensitive_paths') ?? [],
    },
    timeouts: {
      ptyCeilingSeconds:
        pick<number>(timeouts, 'pty_ceiling_seconds', 'number', 'timeouts') ??
        d.timeouts.ptyCeilingSeconds,
      commandTimeoutSeconds:
        pick<number>(pty, 'command_timeout_seconds', 'number', 'pty') ??
        pick<number>(timeouts, 'default_ceiling_seconds', 'number', 'timeouts') ??
        d.timeouts.commandTimeoutSeconds,
    },
    pty: {
      defaultRows: pick<number>(pty, 'default_rows', 'number', 'pty') ?? d.pty.defaultRows,
      defaultCols: pick<number>(pty, 'default_cols', 'number', 'pty') ?? d.pty.defaultCols,
      maxSessions: pick<number>(pty, 'max_sessions', 'number', 'pty') ?? d.pty.maxSessions,
      maxScrollbackBytes:
        pick<number>(pty, 'max_scrollback_bytes', 'number', 'pty') ?? d.pty.maxScrollbackBytes,
    },
    killGraceMs: d.killGraceMs,
  };
  const result = runnerSandboxSettingsSchema.safeParse(candidate);
  if (!result.success) {
    throw new RunnerConfigError(
      result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}
