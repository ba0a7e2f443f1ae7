import { jsonSchema, tool, type ToolSet } from 'ai';
import { z } from 'zod';
import { applyPatchTool } from './apply-patch-tool';
import { editFileTool, listFilesTool, readFileTool, writeFileTool } from './file-tools';
import { grepFileTool } from './grep-tool';
import { runPtyCmdTool } from './shell-tool';
import type { AgentTool } from './tool-types';
import { webFetchTool } from './web-fetch-tool';

/** The tools the agent offers, by VT Code name; web_fetch only when turned on. */
export function agentTools(options: {
  readonly webFetch: boolean;
}): ReadonlyMap<string, AgentTool> {
  const list: AgentTool[] = [
    readFileTool,
    listFilesTool,
    grepFileTool,
    writeFileTool,
    editFileTool,
    applyPatchTool,
    runPtyCmdTool,
    ...(options.webFetch ? [webFetchTool] : []),
  ] as AgentTool[];
  return new Map(list.map((t) => [t.name, t]));
}

/**
 * Tool definitions for the provider. The SDK gets the JSON schema without a validator: the loop
 * validates with zod itself, so a malformed call becomes an error result rather than a crash.
 */
export function providerToolSet(tools: ReadonlyMap<string, AgentTool>): ToolSet {
  const set: ToolSet = {};
  for (const t of tools.values()) {
    const schema = z.toJSONSchema(t.schema, { io: 'input' }) as Parameters<typeof jsonSchema>[0];
    set[t.name] = tool({ description: t.description, inputSchema: jsonSchema(schema) });
  }
  return set;
}
