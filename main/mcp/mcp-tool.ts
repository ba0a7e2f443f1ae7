import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { mcpPolicyName } from '../../shared/domain/mcp';
import type { McpSettings } from '../config/mcp-settings';
import { clip, fail, ok, ToolError, type AgentTool } from '../agent/tools/tool-types';

/*
 * An MCP server's tool as one of the agent's: named `mcp__server__tool` (the policy subject), its
 * arguments checked against `[mcp.security.validation]` before anything is decided, its result
 * turned into text and cut to size before the model sees it (the loop redacts it as any result).
 */

/** The most text of one result the model gets (VT Code's default is about 25,000 tokens). */
export const MAX_RESULT_CHARS = 100_000;

/** Providers accept tool names of 1-64 letters, digits, `_` and `-` only. */
const PROVIDER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The largest input schema offered to the model (every request carries it). */
export const MAX_SCHEMA_CHARS = 64 * 1024;

/** Why a tool cannot be offered under its policy name; null when it can. */
export function unavailableReason(
  server: string,
  tool: Pick<Tool, 'name' | 'inputSchema'>,
): string | null {
  const name = mcpPolicyName(server, tool.name);
  if (!PROVIDER_NAME.test(name))
    return `${name} is not a name model providers accept (letters, digits, "_" and "-", at most 64)`;
  if (JSON.stringify(tool.inputSchema ?? {}).length > MAX_SCHEMA_CHARS)
    return `its input schema is larger than ${MAX_SCHEMA_CHARS} characters`;
  return null;
}

/** A call's way to the server (the manager's connection, read at call time). */
export type McpCaller = (
  tool: string,
  args: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<CallToolResult>;

const argsSchema = z.record(z.string(), z.unknown());

const TRAVERSAL = /(^|[\\/])\.\.([\\/]|$)/;

/** Refuse arguments `[mcp.security.validation]` does not allow; the message tells the model why. */
export function checkArguments(
  args: Record<string, unknown>,
  validation: McpSettings['validation'],
): void {
  const json = JSON.stringify(args);
  const size = Buffer.byteLength(json, 'utf8');
  if (size > validation.maxArgumentSize)
    throw new ToolError(
      `the arguments are ${size} bytes, more than [mcp.security.validation] max_argument_size (${validation.maxArgumentSize})`,
    );
  if (!validation.pathTraversalProtection) return;
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      // A key is an argument too (a server may take paths as keys).
      strings.push(...Object.keys(v));
      Object.values(v).forEach(walk);
    }
  };
  walk(args);
  const bad = strings.find((s) => readings(s).some((r) => TRAVERSAL.test(r)));
  if (bad !== undefined)
    throw new ToolError(
      `an argument climbs out of a folder with "..": ${JSON.stringify(bad.slice(0, 200))} ([mcp.security.validation] path_traversal_protection)`,
    );
}

/**
 * The ways a server may read a string: as written, URL-decoded (as often as it decodes to
 * something else, up to a few times), and with compatibility characters folded (NFKC: a
 * fullwidth dot is a dot).
 */
function readings(s: string): string[] {
  const out = [s, s.normalize('NFKC')];
  let current = s;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break;
    }
    if (next === current) break;
    out.push(next, next.normalize('NFKC'));
    current = next;
  }
  return out;
}

/** A tool result as the text the model reads. */
export function resultText(result: CallToolResult): string {
  const parts: string[] = [];
  for (const item of result.content ?? []) {
    switch (item.type) {
      case 'text':
        parts.push(item.text);
        break;
      case 'image':
      case 'audio':
        parts.push(
          `[${item.type} ${item.mimeType}, ${item.data.length} base64 characters, not shown]`,
        );
        break;
      case 'resource_link':
        parts.push(`[resource link: ${item.uri}${item.name ? ` (${item.name})` : ''}]`);
        break;
      case 'resource':
        parts.push(
          'text' in item.resource && typeof item.resource.text === 'string'
            ? item.resource.text
            : `[resource ${item.resource.uri}: binary, not shown]`,
        );
        break;
      default:
        parts.push(`[${(item as { type: string }).type} content, not shown]`);
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined)
    parts.push(JSON.stringify(result.structuredContent, null, 2));
  return parts.join('\n');
}

/** The JSON Schema a provider gets for the tool (MCP tools' inputs are objects). */
function providerSchema(tool: Tool): Record<string, unknown> {
  const schema = { ...(tool.inputSchema as Record<string, unknown>) };
  delete schema.$schema;
  if (schema.type !== 'object') schema.type = 'object';
  schema.properties ??= {};
  return schema;
}

/** One line of a description, for people. */
export function summaryOf(server: string, tool: Tool): string {
  const first = (tool.description ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  const text = first.trim().slice(0, 160);
  return `${text || tool.title || tool.name} (MCP server ${server})`;
}

/** The agent tool for one MCP tool. */
export function mcpAgentTool(
  server: string,
  tool: Tool,
  validation: () => McpSettings['validation'],
  call: McpCaller,
  changesFiles = false,
): AgentTool {
  const name = mcpPolicyName(server, tool.name);
  return {
    name,
    changesFiles,
    summary: summaryOf(server, tool),
    description:
      `${tool.description ?? tool.title ?? tool.name} (a tool of the MCP server "${server}")`.slice(
        0,
        4000,
      ),
    schema: argsSchema,
    inputJsonSchema: providerSchema(tool),
    mcp: {
      server,
      tool: tool.name,
      description: tool.description ?? '',
      inputSchema: JSON.stringify(tool.inputSchema, null, 2),
    },
    describe: (args) =>
      `${name} (tool "${tool.name}" of the MCP server "${server}") with the arguments:\n${JSON.stringify(args, null, 2)}`,
    subjects(args) {
      checkArguments(args as Record<string, unknown>, validation());
      return [];
    },
    async execute(args, ctx) {
      const result = await call(tool.name, args as Record<string, unknown>, ctx.signal);
      const text = clip(resultText(result), MAX_RESULT_CHARS);
      return result.isError === true ? fail(text || 'the tool reported an error') : ok(text);
    },
  };
}
