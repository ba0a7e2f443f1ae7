import { z } from 'zod';

/*
 * What the UI and the agent see of sandboxed command runs. Main owns the processes; these are the
 * plain records and events that cross the bridge.
 */

export const runIdSchema = z.string().regex(/^run-[a-z0-9-]{1,64}$/, 'not a run id');
export type RunId = z.infer<typeof runIdSchema>;

const MAX_COMMAND_LENGTH = 64 * 1024;

/** A command someone asked to run: typed by a person or proposed by the agent, so untrusted. */
export const runRequestSchema = z.object({
  command: z
    .string()
    .min(1, 'the command is empty')
    .max(MAX_COMMAND_LENGTH, `the command is longer than ${MAX_COMMAND_LENGTH} characters`)
    .refine((v) => !v.includes('\0'), 'the command contains a NUL byte')
    .refine((v) => v.trim().length > 0, 'the command is empty'),
  /** Working directory, inside the workspace; the workspace root when omitted. */
  cwd: z
    .string()
    .min(1)
    .max(4096)
    .refine((v) => !v.includes('\0'), 'the path contains a NUL byte')
    .optional(),
  timeoutSeconds: z.number().positive().max(86_400).optional(),
  cols: z.number().int().min(1).max(2000).optional(),
  rows: z.number().int().min(1).max(1000).optional(),
  /** The user chose, for this run only, to run without the sandbox. Recorded on the run. */
  unsandboxed: z.literal(true).optional(),
  /** Extra variables; names the environment filter denies are dropped and reported. */
  env: z.record(z.string().max(256), z.string().max(32 * 1024)).optional(),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

/** How a run was (or was not) contained. `unsandboxed` is shown in red every time. */
export const runSandboxSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sandboxed'),
    mode: z.enum(['read_only', 'workspace_write']),
    network: z.enum(['allowlist_only', 'allow_all', 'block_all']),
    allowedDomains: z.array(z.string()),
    /** `[sandbox.network] denylist` entries, as the proxy matches them (absent: none). */
    deniedDomains: z.array(z.string()).optional(),
  }),
  z.object({
    kind: z.literal('unsandboxed'),
    /** danger_full_access in the config, or the user's explicit choice for this run. */
    because: z.enum(['danger_full_access', 'user_override']),
  }),
]);
export type RunSandbox = z.infer<typeof runSandboxSchema>;

export const runSummarySchema = z.object({
  runId: runIdSchema,
  command: z.string(),
  workspace: z.string(),
  cwd: z.string(),
  startedAt: z.string(),
  sandbox: runSandboxSchema,
  /** Environment variable names withheld from the command (never their values). */
  droppedEnv: z.array(z.string()),
  timeoutSeconds: z.number(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** Terminal output (with ANSI escapes), batched: one event per ~16 ms or 64 KiB. */
export const runOutputEventSchema = z.object({
  runId: runIdSchema,
  seq: z.number().int().nonnegative(),
  data: z.string(),
  /**
   * Bytes the command printed in this batch; they add up to the exit's totalBytes. A character
   * split between two batches is sent whole in the later one.
   */
  bytes: z.number().int().nonnegative(),
});
export type RunOutputEvent = z.infer<typeof runOutputEventSchema>;

/** The sandbox blocked something: a write outside the allowed paths, a denied host. */
export const runViolationEventSchema = z.object({
  runId: runIdSchema,
  line: z.string(),
  at: z.string(),
});
export type RunViolationEvent = z.infer<typeof runViolationEventSchema>;

export const runOutcomeSchema = z.enum(['exited', 'cancelled', 'timed_out', 'failed']);
export type RunOutcome = z.infer<typeof runOutcomeSchema>;

export const runExitEventSchema = z.object({
  runId: runIdSchema,
  outcome: runOutcomeSchema,
  exitCode: z.number().int().nullable(),
  /** e.g. SIGTERM when a signal ended it. */
  signal: z.string().nullable(),
  durationMs: z.number().nonnegative(),
  /** Every byte the command printed. */
  totalBytes: z.number().int().nonnegative(),
  /** Bytes kept in the scrollback (head + tail); the rest were dropped from the middle. */
  keptBytes: z.number().int().nonnegative(),
  droppedBytes: z.number().int().nonnegative(),
  violations: z.number().int().nonnegative(),
  sandbox: runSandboxSchema,
  /** Why a run failed to start or was cut short, in words. */
  message: z.string().nullable(),
});
export type RunExitEvent = z.infer<typeof runExitEventSchema>;

/** A run's state, as an explicit union rather than flags. */
export const runStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('starting'), summary: runSummarySchema }),
  /**
   * Waiting for the sandbox's network proxy: runs with other network rules hold it (one allow-list
   * at a time). `reason` names them; cancel works while it waits.
   */
  z.object({ state: z.literal('queued'), summary: runSummarySchema, reason: z.string() }),
  z.object({ state: z.literal('running'), summary: runSummarySchema, pid: z.number().int() }),
  z.object({ state: z.literal('cancelling'), summary: runSummarySchema, pid: z.number().int() }),
  z.object({ state: z.literal('finished'), summary: runSummarySchema, exit: runExitEventSchema }),
]);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** A run is waiting for the network proxy (see the `queued` status); `started` follows. */
export const runQueuedEventSchema = z.object({ summary: runSummarySchema, reason: z.string() });
export type RunQueuedEvent = z.infer<typeof runQueuedEventSchema>;

/** Everything the runner emits, one stream for the bridge to forward. */
export type RunnerEvent =
  | { readonly type: 'queued'; readonly summary: RunSummary; readonly reason: string }
  | { readonly type: 'started'; readonly summary: RunSummary }
  | { readonly type: 'output'; readonly event: RunOutputEvent }
  | { readonly type: 'violation'; readonly event: RunViolationEvent }
  | { readonly type: 'exit'; readonly event: RunExitEvent };
