import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/*
 * What the scripted provider answers, one scripted response per request, in order. Data only, so a
 * fixture can be a JSON file for the CLI and e2e as well as an object in a unit test.
 */

/** One piece of a streamed answer. */
export const scriptPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('reasoning'), text: z.string() }),
  z.object({
    type: z.literal('tool_call'),
    id: z.string().optional(),
    name: z.string(),
    /** An object is sent as JSON; a string is sent verbatim (so it can be malformed). */
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
  }),
]);
export type ScriptPart = z.infer<typeof scriptPartSchema>;

export const scriptUsageSchema = z.object({
  input: z.number().int().min(0),
  output: z.number().int().min(0),
  cached: z.number().int().min(0).default(0),
  reasoning: z.number().int().min(0).default(0),
});
export type ScriptUsage = z.infer<typeof scriptUsageSchema>;

export const scriptResponseSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stream'),
    parts: z.array(scriptPartSchema).default([]),
    usage: scriptUsageSchema.optional(),
    /** Overrides the finish reason derived from the parts (tool calls or stop). */
    finish: z.enum(['stop', 'tool_calls', 'length']).optional(),
    /** Pause between SSE chunks (a slow stream). */
    chunkDelayMs: z.number().int().min(0).max(60_000).default(0),
    /** Split each text/reasoning part into chunks of this many characters. */
    chunkSize: z.number().int().min(1).default(64),
    /** Destroy the socket after this many SSE events (a dropped connection mid-stream). */
    dropAfterEvents: z.number().int().min(0).optional(),
    /** Send a line of garbage instead of the event at this index. */
    malformedAt: z.number().int().min(0).optional(),
  }),
  z.object({
    kind: z.literal('error'),
    status: z.number().int().min(400).max(599),
    /** Sent as the Retry-After header when set. */
    retryAfter: z.string().optional(),
    /** Provider error code/type (`invalid_api_key`, `context_length_exceeded`, `overloaded_error`). */
    code: z.string().optional(),
    message: z.string().default('scripted error'),
  }),
  /** Close the connection without answering. */
  z.object({ kind: z.literal('drop') }),
]);
export type ScriptResponse = z.infer<typeof scriptResponseSchema>;
export type ScriptResponseInput = z.input<typeof scriptResponseSchema>;

export const fixtureSchema = z.object({
  responses: z.array(scriptResponseSchema),
  /** When the script is used up: answer with an error (default) or repeat the last response. */
  whenExhausted: z.enum(['error', 'repeat-last']).default('error'),
});
export type Fixture = z.infer<typeof fixtureSchema>;
export type FixtureInput = z.input<typeof fixtureSchema>;

/** Parse a fixture object, with every problem named by its path. */
export function parseFixture(value: unknown): Fixture {
  const result = fixtureSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'fixture'}: ${i.message}`);
    throw new Error(`invalid fixture: ${issues.join('; ')}`);
  }
  return result.data;
}

/** Read and parse a JSON fixture file. */
export async function readFixture(file: string): Promise<Fixture> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read fixture ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return parseFixture(value);
}
