import { jsonSchema, tool, type ToolSet } from 'ai';
import { z } from 'zod';
import type { AgentEvent } from '../../../shared/domain/agent';
import type { AgentToolInfo } from '../../../shared/domain/policy';
import { applyPatchTool } from './apply-patch-tool';
import { editFileTool, listFilesTool, readFileTool, writeFileTool } from './file-tools';
import { codeSearchTool } from './grep-tool';
import { execCommandTool } from './shell-tool';
import type { AgentTool } from './tool-types';
import { webFetchTool } from './web-fetch-tool';

/** Which optional tools the app turns on; the agent and the policy matrix both read this. */
export const APP_TOOL_OPTIONS = { webFetch: true } as const;

/** The tools the agent offers, by VT Code name (web_fetch can be left out, as tests do). */
export function agentTools(
  options: { readonly webFetch: boolean } = APP_TOOL_OPTIONS,
): ReadonlyMap<string, AgentTool> {
  const list: AgentTool[] = [
    readFileTool,
    listFilesTool,
    codeSearchTool,
    writeFileTool,
    editFileTool,
    applyPatchTool,
    execCommandTool,
    ...(options.webFetch ? [webFetchTool] : []),
  ] as AgentTool[];
  return new Map(list.map((t) => [t.name, t]));
}

/** The agent's tools as people see them (the policy matrix): name and one line. */
export function toolCatalog(tools: ReadonlyMap<string, AgentTool> = agentTools()): AgentToolInfo[] {
  return [...tools.values()].map((t) => ({
    name: t.name,
    summary: t.summary,
    ...(t.mcp ? { mcp: t.mcp } : {}),
  }));
}

/**
 * Names this app's tools had before they took VT Code's current names. Sessions written then are
 * read with the current names, so the screen and the provider conversation say one name.
 */
export const RENAMED_TOOLS: Readonly<Record<string, string>> = {
  run_pty_cmd: 'exec_command',
  grep_file: 'code_search',
};

const currentName = (name: string): string => RENAMED_TOOLS[name] ?? name;

/** A stored provider message with former tool names replaced in its tool calls and results. */
function renameInMessage(message: unknown): unknown {
  const m = message as { role?: unknown; content?: unknown };
  if (!Array.isArray(m?.content)) return message;
  let changed = false;
  const content = (m.content as unknown[]).map((part) => {
    const p = part as { toolName?: unknown };
    if (typeof p?.toolName !== 'string' || currentName(p.toolName) === p.toolName) return part;
    changed = true;
    return { ...p, toolName: currentName(p.toolName) };
  });
  return changed ? { ...m, content } : message;
}

/** A session event as it reads with today's tool names (events of older sessions). */
export function withCurrentToolNames(event: AgentEvent): AgentEvent {
  if (
    event.type === 'tool-call-started' ||
    event.type === 'tool-call-finished' ||
    event.type === 'tool-call-awaiting-approval'
  )
    return currentName(event.tool) === event.tool
      ? event
      : { ...event, tool: currentName(event.tool) };
  if (event.type === 'history') return { ...event, messages: event.messages.map(renameInMessage) };
  return event;
}

/** The built-in tools with a source of more (MCP servers' tools, read at each step). */
export function withMoreTools(
  own: ReadonlyMap<string, AgentTool>,
  more: (() => ReadonlyMap<string, AgentTool>) | undefined,
): ReadonlyMap<string, AgentTool> {
  if (!more) return own;
  const extra = more();
  if (extra.size === 0) return own;
  const all = new Map(own);
  // A built-in name always means the built-in tool (MCP names start with mcp__ anyway).
  for (const [name, tool] of extra) if (!all.has(name)) all.set(name, tool);
  return all;
}

/**
 * Tool definitions for the provider. The SDK gets the JSON schema without a validator: the loop
 * validates with zod itself, so a malformed call becomes an error result rather than a crash.
 */
export function providerToolSet(tools: ReadonlyMap<string, AgentTool>): ToolSet {
  const set: ToolSet = {};
  for (const t of tools.values()) set[t.name] = providerTool(t);
  return set;
}

// The set is built at every model step: each tool's definition is made once.
type ProviderTool = ToolSet[string];
const definitions = new WeakMap<AgentTool, ProviderTool>();

function providerTool(t: AgentTool): ProviderTool {
  const known = definitions.get(t);
  if (known) return known;
  const schema = (t.inputJsonSchema ?? z.toJSONSchema(t.schema, { io: 'input' })) as Parameters<
    typeof jsonSchema
  >[0];
  const made = tool({
    description: t.description,
    inputSchema: jsonSchema(schema),
  }) as ProviderTool;
  definitions.set(t, made);
  return made;
}
