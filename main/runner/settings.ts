import { z } from 'zod';

/*
 * What the runner needs to know about the sandbox, mirroring VT Code's `[sandbox]`,
 * `[sandbox.network]`, `[sandbox.sensitive_paths]`, `[timeouts]` and `[pty]` keys. The config loader
 * maps vtcode.toml onto this; the runner never reads config files itself.
 */

const pathEntry = z
  .string()
  .min(1)
  .max(4096)
  .refine((v) => !v.includes('\0'), 'the path contains a NUL byte');

/** A host name, `*.suffix` wildcard or IP literal as the sandbox proxy matches it. */
const domainSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^(\*\.)?[A-Za-z0-9_.-]+$|^\[[0-9A-Fa-f:.]+\]$/,
    'a domain is a host name, *.example.com, an IPv4 address or a bracketed IPv6 address',
  );

export const networkAllowEntrySchema = z.object({
  domain: domainSchema,
  port: z.number().int().min(1).max(65535).optional(),
});
export type NetworkAllowEntry = z.infer<typeof networkAllowEntrySchema>;

export const sandboxModeSchema = z.enum(['read_only', 'workspace_write', 'danger_full_access']);
export type SandboxMode = z.infer<typeof sandboxModeSchema>;

export const networkPolicySchema = z.enum(['allowlist_only', 'allow_all', 'block_all']);
export type NetworkPolicy = z.infer<typeof networkPolicySchema>;

export const runnerSandboxSettingsSchema = z.object({
  mode: sandboxModeSchema,
  network: z.object({
    policy: networkPolicySchema,
    allowlist: z.array(networkAllowEntrySchema).max(1000),
    /** The app's `[sandbox.network] denylist`: never reached, whatever the policy or allow-list. */
    denylist: z.array(networkAllowEntrySchema).max(1000).default([]),
  }),
  sensitivePaths: z.object({
    /** Deny ~/.ssh, ~/.aws, ~/.kube, ~/.gnupg, ~/.config/gcloud, the keyring and the app's config. */
    useDefaults: z.boolean(),
    additional: z.array(pathEntry).max(1000),
    /** Paths that stay readable although a sensitive path covers them. */
    exceptions: z.array(pathEntry).max(1000),
  }),
  timeouts: z.object({
    /** `[timeouts] pty_ceiling_seconds`: no run lasts longer than this. */
    ptyCeilingSeconds: z.number().positive().max(86_400),
    /** `[pty] command_timeout_seconds`: a run's timeout when the request names none. */
    commandTimeoutSeconds: z.number().positive().max(86_400),
  }),
  pty: z.object({
    defaultRows: z.number().int().min(1).max(1000),
    defaultCols: z.number().int().min(1).max(2000),
    /** `[pty] max_sessions`: runs at once; more are refused, not queued. */
    maxSessions: z.number().int().min(1).max(256),
    /** `[pty] max_scrollback_bytes`: output kept per run, as head + tail. */
    maxScrollbackBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024),
  }),
  /** `[dotfile_protection]`: auto-run files made writable (whitelist) and more protected paths. */
  dotfiles: z
    .object({
      whitelist: z.array(pathEntry).max(1000),
      additional: z.array(pathEntry).max(1000),
    })
    .default({ whitelist: [], additional: [] }),
  /** Between the interrupt and the SIGKILL of everything the run started. */
  killGraceMs: z.number().int().min(0).max(60_000),
});
export type RunnerSandboxSettings = z.infer<typeof runnerSandboxSettingsSchema>;

/** VT Code's defaults where it has one; sandboxed, network off unless configured. */
export const DEFAULT_RUNNER_SETTINGS: RunnerSandboxSettings = {
  mode: 'workspace_write',
  network: { policy: 'block_all', allowlist: [], denylist: [] },
  sensitivePaths: { useDefaults: true, additional: [], exceptions: [] },
  timeouts: { ptyCeilingSeconds: 300, commandTimeoutSeconds: 180 },
  pty: { defaultRows: 24, defaultCols: 80, maxSessions: 8, maxScrollbackBytes: 4 * 1024 * 1024 },
  dotfiles: { whitelist: [], additional: [] },
  killGraceMs: 2000,
};

/** Partial settings: each section may name only the fields it changes. */
export interface RunnerSettingsOverrides {
  readonly mode?: SandboxMode;
  readonly network?: Partial<z.input<typeof runnerSandboxSettingsSchema>['network']>;
  readonly sensitivePaths?: Partial<RunnerSandboxSettings['sensitivePaths']>;
  readonly timeouts?: Partial<RunnerSandboxSettings['timeouts']>;
  readonly pty?: Partial<RunnerSandboxSettings['pty']>;
  readonly killGraceMs?: number;
}

/** Merge overrides into a base, one level deep, and validate the result (throws a ZodError). */
export function withSettings(
  overrides: RunnerSettingsOverrides,
  base: RunnerSandboxSettings = DEFAULT_RUNNER_SETTINGS,
): RunnerSandboxSettings {
  return runnerSandboxSettingsSchema.parse({
    mode: overrides.mode ?? base.mode,
    network: { ...base.network, ...overrides.network },
    sensitivePaths: { ...base.sensitivePaths, ...overrides.sensitivePaths },
    timeouts: { ...base.timeouts, ...overrides.timeouts },
    pty: { ...base.pty, ...overrides.pty },
    dotfiles: base.dotfiles,
    killGraceMs: overrides.killGraceMs ?? base.killGraceMs,
  });
}
