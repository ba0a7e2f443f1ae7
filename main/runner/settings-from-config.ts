import type { VtcodeConfig } from '../config/effective';
import {
  DEFAULT_RUNNER_SETTINGS,
  runnerSandboxSettingsSchema,
  type RunnerSandboxSettings,
} from './settings';

/** The effective config cannot drive the runner (e.g. `default_policy = "external"`). */
export class RunnerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerConfigError';
  }
}

const NO_CEILING_SECONDS = 86_400;

/** A config snapshot never changes, so its settings are worked out once (every tool call asks). */
const derived = new WeakMap<VtcodeConfig, RunnerSandboxSettings | RunnerConfigError>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Map the effective vtcode.toml (main/config) onto the runner's settings. `[sandbox] enabled` is
 * not consulted: this app always sandboxes, and only `default_policy = "danger_full_access"`
 * (or a per-run choice) runs a command without it. A 0 ceiling means none.
 */
export function runnerSettingsFromConfig(config: VtcodeConfig): RunnerSandboxSettings {
  let result = derived.get(config);
  if (result === undefined) {
    try {
      result = deepFreeze(derive(config));
    } catch (error) {
      if (!(error instanceof RunnerConfigError)) throw error;
      result = error;
    }
    derived.set(config, result);
  }
  if (result instanceof RunnerConfigError) throw result;
  return result;
}

function derive(config: VtcodeConfig): RunnerSandboxSettings {
  const { sandbox, timeouts, pty } = config;
  if (sandbox.defaultPolicy === 'external') {
    throw new RunnerConfigError(
      '[sandbox] default_policy = "external" is not supported; use read_only, workspace_write or danger_full_access',
    );
  }
  const ceiling = timeouts.ptyCeilingSeconds || NO_CEILING_SECONDS;
  const candidate: RunnerSandboxSettings = {
    mode: sandbox.defaultPolicy,
    network: {
      policy: sandbox.network.policy,
      allowlist: sandbox.network.allowlist.map(({ domain, port }) => ({ domain, port })),
      denylist: sandbox.network.denylist.map(({ domain, port }) =>
        port === undefined ? { domain } : { domain, port },
      ),
    },
    sensitivePaths: {
      useDefaults: sandbox.sensitivePaths.useDefaults,
      additional: config.sensitiveAdditional.map((e) => e.entry),
      exceptions: [...sandbox.sensitivePaths.exceptions],
    },
    timeouts: {
      ptyCeilingSeconds: ceiling,
      commandTimeoutSeconds: Math.min(
        pty.commandTimeoutSeconds || timeouts.defaultCeilingSeconds || ceiling,
        ceiling,
      ),
    },
    pty: {
      defaultRows: pty.defaultRows,
      defaultCols: pty.defaultCols,
      maxSessions: pty.maxSessions,
      maxScrollbackBytes: Math.max(
        pty.maxScrollbackBytes || DEFAULT_RUNNER_SETTINGS.pty.maxScrollbackBytes,
        1024,
      ),
    },
    dotfiles: {
      whitelist: [...config.dotfiles.whitelist],
      additional: [...config.dotfiles.additional],
    },
    killGraceMs: DEFAULT_RUNNER_SETTINGS.killGraceMs,
  };
  const result = runnerSandboxSettingsSchema.safeParse(candidate);
  if (!result.success) {
    throw new RunnerConfigError(
      result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}
