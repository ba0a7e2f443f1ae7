import type { z } from 'zod';
import type { McpToolDetail, PathOp } from '../../../shared/domain/policy';
import type { PolicyEngine } from '../../policy/engine';
import type { RunnerSandboxSettings } from '../../runner/settings';
import type { RunOrigin } from '../../runner/host-gate';
import type { RunResult } from '../../runner/runner-service';

/** What a tool touches, so the loop can ask the policy engine before it runs. */
export type ToolSubject =
  | { readonly kind: 'path'; readonly path: string; readonly op: PathOp }
  /** `cwd` as the model gave it (relative to the workspace); absent: the workspace root. */
  | { readonly kind: 'command'; readonly command: string; readonly cwd?: string }
  | { readonly kind: 'url'; readonly url: string };

/** The slice of RunnerService the shell tool needs. */
export interface CommandRunner {
  start(input: {
    request: unknown;
    workspace: string;
    settings: RunnerSandboxSettings;
    /** Who asks about hosts no rule covers (see host-gate.ts); none: they are denied. */
    origin?: RunOrigin | null;
  }): Promise<string>;
  wait(runId: string): Promise<RunResult>;
  cancel(runId: string): boolean;
}

/** Everything a tool may use while it runs; paths it gets are already decided and resolved. */
export interface ToolContext {
  readonly workspace: string;
  readonly policy: PolicyEngine;
  readonly runner: CommandRunner | null;
  readonly runnerSettings: RunnerSandboxSettings | null;
  /** The session and call a command runs for: who is asked about a new host it connects to. */
  readonly origin?: RunOrigin | null;
  readonly signal: AbortSignal;
  /** A person approved this call (or a session grant stood in for them): what asks may go on. */
  readonly approved?: boolean;
  /** The resolved absolute path the policy allowed for `path` (symlinks followed). */
  resolvePath(path: string, op: PathOp): string;
  /** Write a file cleared for `path`: the guard decides again at the moment of writing. */
  writeText(path: string, content: string): Promise<void>;
  /** Delete a file cleared for `path` (never a folder, never through a symlink). */
  removeFile(path: string): Promise<void>;
  /** Record a file change (before/after content) so it can be shown and reverted. */
  recordChange(path: string, before: string | null, after: string | null): void;
  readonly fetch: typeof fetch;
}

/** One file a call would change, worked out before anything is written (the approval's diff). */
export interface PlannedChange {
  /** The path as the model gave it. */
  readonly path: string;
  /** Null: the file does not exist yet. */
  readonly before: string | null;
  /** Null: the call deletes the file. */
  readonly after: string | null;
  /** For a move: the path it moves from (this change is its new place). */
  readonly movedFrom?: string;
}

/** What a preview may use: the resolved paths the policy cleared for the call. */
export interface PreviewContext {
  resolvePath(path: string, op: PathOp): string;
}

/** What goes back to the model: text, and whether it is an error. */
export interface ToolOutput {
  readonly status: 'ok' | 'error';
  readonly text: string;
}

/** A tool the model can call, with VT Code's name and a zod schema for its arguments. */
export interface AgentTool<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** One line for people (the policy matrix); `description` is what the model reads. */
  readonly summary: string;
  readonly description: string;
  readonly schema: S;
  /** The JSON Schema providers get instead of the zod schema's (an MCP tool's own). */
  readonly inputJsonSchema?: Record<string, unknown>;
  /** An MCP server's tool: which server, and what it says of itself (the policy matrix shows it). */
  readonly mcp?: McpToolDetail;
  /** It may change files no subject names (an MCP server with writable folders): not in plan mode. */
  readonly changesFiles?: boolean;
  /** The call in words for a person approving it, when it touches no path, command or URL. */
  describe?(args: z.infer<S>): string;
  /** Paths, commands or URLs the call would touch (throws ToolError when the call is unusable). */
  subjects(args: z.infer<S>): readonly ToolSubject[];
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutput>;
  /**
   * For tools that change files: what the call would change, read now and written nowhere.
   * Throws ToolError (or PatchError) when the change cannot be made as asked.
   */
  preview?(args: z.infer<S>, ctx: PreviewContext): Promise<readonly PlannedChange[]>;
}

/** A tool failed in a way the model should be told about (not a crash). */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export const ok = (text: string): ToolOutput => ({ status: 'ok', text });
export const fail = (text: string): ToolOutput => ({ status: 'error', text });

/** Keep the head and tail of a long text, with a note of what was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.6);
  const tail = max - head;
  return `${text.slice(0, head)}\n\n[… ${text.length - max} characters omitted …]\n\n${text.slice(text.length - tail)}`;
}

/** Define a tool with its argument types inferred from the schema. */
export function defineTool<S extends z.ZodType>(tool: AgentTool<S>): AgentTool<S> {
  return tool;
}
