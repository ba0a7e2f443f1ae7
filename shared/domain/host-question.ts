import { z } from 'zod';

/*
 * A connection to a host no network rule covers, as a person is asked about it: in the approval
 * dialog of an agent session (a variant of `tool-call-awaiting-approval`) or of the terminal.
 * Apart from network.ts so the agent events can use it without an import cycle.
 */

/** A command run a host question may be about (the proxy cannot tell which one connected). */
export const hostAskRunSchema = z.object({
  runId: z.string(),
  command: z.string(),
  sessionId: z.string().nullable(),
});

/** A connection to a host no rule covers, waiting for a person. */
export const hostQuestionSchema = z.object({
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  /** Every run on the sandbox's proxy when it asked: one of them connected. */
  runs: z.array(hostAskRunSchema).max(200),
  reason: z.string(),
  /** "Allow for this session" is offered: every run named belongs to an agent session. */
  canSession: z.boolean(),
});
export type HostQuestion = z.infer<typeof hostQuestionSchema>;
