import { z } from 'zod';

/** Every way a bridge call can fail, as the renderer sees it. */
export const bridgeErrorCodeSchema = z.enum([
  'invalid-argument',
  'unknown-channel',
  'forbidden',
  'not-found',
  'conflict',
  'unavailable',
  'internal',
]);
export type BridgeErrorCode = z.infer<typeof bridgeErrorCodeSchema>;

export const bridgeErrorDataSchema = z.object({
  code: bridgeErrorCodeSchema,
  message: z.string(),
});
export type BridgeErrorData = z.infer<typeof bridgeErrorDataSchema>;

/** The envelope every invoke answers with, on every transport. */
export type BridgeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: BridgeErrorData };

/** An error with a code the UI can act on; thrown by handlers and by the client-side unwrap. */
export class BridgeError extends Error {
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
  }
}

/** Turn a result envelope back into a value, or throw the error it carries. */
export function unwrapResult<T>(result: unknown): T {
  const parsed = z
    .union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: bridgeErrorDataSchema }),
    ])
    .safeParse(result);
  if (!parsed.success) {
    throw new BridgeError('internal', 'The host sent a malformed reply.');
  }
  if (parsed.data.ok) return parsed.data.value as T;
  throw new BridgeError(parsed.data.error.code, parsed.data.error.message);
}
