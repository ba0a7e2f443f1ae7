/*
 * The AI SDK's default provider, Vercel's AI Gateway, is never used by this app: every model is
 * built by provider-factory from vtcode.toml, never from a bare model-id string. The build aliases
 * `@ai-sdk/gateway` to this module (electron.vite.config.ts), so the gateway's code and schemas
 * (about 160 KiB with its OIDC helper) are neither compiled nor run at every start. Anything
 * that would reach the gateway gets a clear error instead.
 */

function unavailable(): never {
  throw new Error(
    'The AI Gateway is not available in VT Code Desktop: choose a provider in vtcode.toml ([agent] provider).',
  );
}

/** Stands in for the gateway provider: any model it is asked for is an error. */
export const gateway: unknown = new Proxy(unavailable, {
  get: (_target, key) => (key === 'then' ? undefined : unavailable),
});

export const createGateway = (): never => unavailable();

/** No error here ever comes from the gateway. */
export class GatewayError extends Error {
  static isInstance(_error: unknown): boolean {
    return false;
  }
}

export class GatewayAuthenticationError extends GatewayError {}
