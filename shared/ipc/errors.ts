/** Every way a bridge call can fail, as the renderer sees it. */
export const BRIDGE_ERROR_CODES = [
  'invalid-argument',
  'unknown-channel',
  'forbidden',
  'not-found',
  'conflict',
  'unavailable',
  'internal',
] as const;
export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[number];

export interface BridgeErrorData {
  readonly code: BridgeErrorCode;
  readonly message: string;
}

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

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turn a result envelope back into a value, or throw the error it carries; anything else is a
 * malformed reply. Checked by hand, not with zod: every answer on the renderer's first screen goes
 * through here, and zod (even zod/mini, whose core the lazy chunks share) would be about 55 KiB of
 * it (issue 18). The value itself is the handler's, typed by the contract.
 */
export function unwrapResult<T>(result: unknown): T {
  if (isRecord(result)) {
    if (result.ok === true && 'value' in result) return result.value as T;
    const error = result.error;
    if (
      result.ok === false &&
      isRecord(error) &&
      (BRIDGE_ERROR_CODES as readonly unknown[]).includes(error.code) &&
      typeof error.message === 'string'
    ) {
      throw new BridgeError(error.code as BridgeErrorCode, error.message);
    }
  }
  throw new BridgeError('internal', 'The host sent a malformed reply.');
}
