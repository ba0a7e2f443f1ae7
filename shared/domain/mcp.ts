import { z } from 'zod';
import { mcpEnvNameSchema, mcpServerNameSchema } from './mcp-names';
import { decisionSchema, provenanceSchema } from './policy';

/*
 * MCP servers as the UI sees them. A server is declared in a vtcode.toml (`[[mcp.providers]]`);
 * a stdio server runs inside the sandbox, an HTTP one is reached under the network policy. Each
 * of its tools is a policy subject named `mcp__<server>__<tool>`. Secrets a server gets live in
 * the keychain: the UI learns their names, never their values.
 */

export { mcpEnvNameSchema, mcpServerNameSchema } from './mcp-names';

export const mcpServerStatusSchema = z.enum([
  /** Turned off (`enabled = false`, or `[mcp] enabled = false`). */
  'disabled',
  'stopped',
  'starting',
  'running',
  /** It failed to start or died: `lastError` says why. */
  'error',
  /** Declared by a workspace file: waits until the user approves this exact command line. */
  'needs-approval',
  /** Declared by a workspace file of a folder that is not trusted: never started. */
  'untrusted',
  /** `[mcp.requirements] enforce` does not list its command or endpoint. */
  'not-allowed',
]);
export type McpServerStatus = z.infer<typeof mcpServerStatusSchema>;

/** One tool of a server: its policy name, its own name, what it says it does, its input schema. */
export const mcpToolViewSchema = z.object({
  /** The policy subject and the name the model calls: `mcp__server__tool`. */
  name: z.string(),
  /** The tool's name on its server. */
  tool: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  /** The JSON Schema of its arguments, as the server sent it (pretty-printed JSON). */
  inputSchema: z.string(),
  /** What the policy decides for it now. */
  decision: decisionSchema,
  /** Set when the tool cannot be offered (its name does not fit the providers' tool names). */
  unavailable: z.string().nullable(),
});
export type McpToolView = z.infer<typeof mcpToolViewSchema>;

export const mcpServerViewSchema = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  /** stdio: the program and its arguments; http: null. */
  command: z.string().nullable(),
  args: z.array(z.string()),
  cwd: z.string().nullable(),
  /** http: the endpoint; stdio: null. */
  url: z.string().nullable(),
  /** Variables set in the file (`env`), by name: values from a file are not secrets but stay there. */
  envNames: z.array(z.string()),
  /** Secrets from the keychain this server gets (as variables, or headers for HTTP), by name. */
  secrets: z.array(z.string()),
  /** The exact line a person approves for a workspace-declared server (program, args, cwd, env names). */
  commandLine: z.string(),
  /** Which file declared it. */
  source: provenanceSchema,
  enabled: z.boolean(),
  /** stdio: whether it may use the network (under the network policy); false: none at all. */
  network: z.boolean(),
  /** stdio: folders it may write, inside the workspace; empty: read-only. */
  writable: z.array(z.string()),
  status: mcpServerStatusSchema,
  lastError: z.string().nullable(),
  /** When it last started (ISO), null if never in this app run. */
  startedAt: z.string().nullable(),
  tools: z.array(mcpToolViewSchema),
});
export type McpServerView = z.infer<typeof mcpServerViewSchema>;

export const mcpListSchema = z.object({
  /** `[mcp] enabled`: false turns every server off. */
  enabled: z.boolean(),
  servers: z.array(mcpServerViewSchema),
  /** Config problems about MCP keys, in words. */
  issues: z.array(z.string()),
});
export type McpList = z.infer<typeof mcpListSchema>;

const MAX_ARG = 4096;

/** Add a server to the user's vtcode.toml: a program to run, or a URL to reach. */
export const mcpAddRequestSchema = z
  .strictObject({
    name: mcpServerNameSchema,
    command: z.string().min(1).max(MAX_ARG).optional(),
    args: z.array(z.string().max(MAX_ARG)).max(64).optional(),
    cwd: z.string().min(1).max(MAX_ARG).optional(),
    url: z.string().url().max(MAX_ARG).optional(),
    /** Plain (not secret) variables written to the file. */
    env: z.record(mcpEnvNameSchema, z.string().max(MAX_ARG)).optional(),
    network: z.boolean().optional(),
    writable: z.array(z.string().min(1).max(MAX_ARG)).max(32).optional(),
  })
  .refine((r) => (r.command === undefined) !== (r.url === undefined), {
    message: 'give either a command or a URL',
  });
export type McpAddRequest = z.infer<typeof mcpAddRequestSchema>;

export const mcpServerRequestSchema = z.strictObject({ name: mcpServerNameSchema });
export type McpServerRequest = z.infer<typeof mcpServerRequestSchema>;

export const mcpSetEnabledRequestSchema = z.strictObject({
  name: mcpServerNameSchema,
  enabled: z.boolean(),
});

/** Approve a workspace-declared server: the line must be the one shown, else nothing is approved. */
export const mcpApproveRequestSchema = z.strictObject({
  name: mcpServerNameSchema,
  commandLine: z
    .string()
    .min(1)
    .max(64 * 1024),
});

/** A secret for one server: stored in the keychain, given to that server only. */
export const mcpSetSecretRequestSchema = z.strictObject({
  server: mcpServerNameSchema,
  name: mcpEnvNameSchema,
  value: z.string().min(1).max(8192),
});
export const mcpSecretRequestSchema = z.strictObject({
  server: mcpServerNameSchema,
  name: mcpEnvNameSchema,
});

/** What a server wrote to stderr lately (redacted), oldest first. */
export const mcpStderrSchema = z.object({ lines: z.array(z.string()) });

/** The result of an action on a server: the list as it is now, or why it was refused. */
export const mcpActionResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), list: mcpListSchema }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type McpActionResult = z.infer<typeof mcpActionResultSchema>;

/** `mcp__server__tool` for a server's tool. */
export function mcpPolicyName(server: string, tool: string): string {
  return `mcp__${server}__${tool}`;
}
