import { z } from 'zod';
import { keychainStateSchema } from './credentials';

/*
 * Tokens commands use but never see. A token lives in the OS keychain and is bound to hosts under
 * the environment variable commands expect (GH_TOKEN for api.github.com, NPM_TOKEN for
 * registry.npmjs.org). Sandboxed commands get a placeholder in that variable; the sandbox proxy
 * puts the real value in requests to the bound hosts only. What the UI may know: the binding and
 * the token's last characters. The only schema that carries a token is the set request, which
 * flows renderer -> main.
 */

/** A binding's name: a short lowercase slug (`github`, `npm-publish`). */
export const tokenNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'a token name is 1-64 characters: lowercase letters, digits, ".", "_" or "-"',
  );

/*
 * Variables a token cannot be given as: the sandbox sets them itself (proxy, trust store, git's
 * safe.directory, the JVM agent), or the shell and the loader read them before any command runs.
 */
const RESERVED_ENV_VARS = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'PWD',
  'OLDPWD',
  'IFS',
  'ENV',
  'CDPATH',
  'PS1',
  'PS2',
  'PS4',
  'SHELLOPTS',
  'TMPDIR',
  'TERM',
  'COLORTERM',
  'LANG',
  'LANGUAGE',
  'TZ',
  'PAGER',
  'GIT_PAGER',
  'GIT_TERMINAL_PROMPT',
  'NODE_OPTIONS',
  'JAVA_TOOL_OPTIONS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'FTP_PROXY',
  'GRPC_PROXY',
  'RSYNC_PROXY',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'PIP_CERT',
  'GIT_SSL_CAINFO',
  'AWS_CA_BUNDLE',
  'CARGO_HTTP_CAINFO',
  'DENO_CERT',
  'CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE',
  'NIX_SSL_CERT_FILE',
]);
const RESERVED_ENV_PREFIXES = ['LD_', 'DYLD_', 'LC_', 'BASH_', 'GIT_CONFIG_', 'VTCODE_', 'SRT_'];
const RESERVED_ENV_PREFIXES_CI = ['CLAUDE_CODE_'];

/** Whether a variable name is one the sandbox or the shell needs for itself. */
export function isReservedEnvVar(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    RESERVED_ENV_VARS.has(upper) ||
    RESERVED_ENV_PREFIXES.some((p) => name.startsWith(p)) ||
    RESERVED_ENV_PREFIXES_CI.some((p) => upper.startsWith(p))
  );
}

/** The variable commands read the token from: a POSIX name the sandbox does not use itself. */
export const tokenEnvVarSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
    'a variable name is letters, digits and "_", not starting with a digit (at most 128)',
  )
  .refine((name) => !isReservedEnvVar(name), {
    message: 'the sandbox or the shell uses that variable itself; pick the name your tool reads',
  });

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const WILDCARD = new RegExp(`^\\*\\.${LABEL}(?:\\.${LABEL})+$`);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/**
 * A host the token is sent to: `api.github.com`, `*.example.com` (its subdomains; at least two
 * labels after the star, so never a whole top-level domain), an IPv4 address or a bracketed IPv6
 * one. No scheme, port or path: the proxy matches hosts.
 */
export const tokenHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .transform((host) => host.replace(/\.$/, ''))
  .refine(
    (host) => HOST_NAME.test(host) || WILDCARD.test(host) || IPV4.test(host) || IPV6.test(host),
    {
      message:
        'a host is a name like api.github.com, *.example.com (subdomains), an IPv4 address or [an IPv6 one]; no scheme, port or path',
    },
  );

export const tokenHostsSchema = z
  .array(tokenHostSchema)
  .min(1, 'bind the token to at least one host')
  .max(20, 'at most 20 hosts per token')
  .transform((hosts) => [...new Set(hosts)]);

/** Where Test sends its request on the first host: a path, `/` unless set (`/user`, `/-/whoami`). */
export const tokenTestPathSchema = z
  .string()
  .max(512)
  .regex(/^\/[\x21-\x7e]*$/, 'the test path starts with "/" and is printable ASCII without spaces');

/** A token as typed or pasted; main trims and checks it. Bounded so a paste cannot flood main. */
export const tokenValueInputSchema = z.string().max(8192, 'that is far too long to be a token');

/** One binding as the UI sees it: never the token, at most its last four characters. */
export const tokenBindingSchema = z.object({
  name: tokenNameSchema,
  envVar: z.string(),
  hosts: z.array(z.string()),
  testPath: z.string(),
  /** `…a1b2`; null when the keychain holds no token for the binding (or cannot be read). */
  hint: z.string().nullable(),
  savedAt: z.string(),
});
export type TokenBinding = z.infer<typeof tokenBindingSchema>;

export const tokenListSchema = z.object({
  keychain: keychainStateSchema,
  tokens: z.array(tokenBindingSchema),
});
export type TokenList = z.infer<typeof tokenListSchema>;

export const setTokenRequestSchema = z.strictObject({
  name: tokenNameSchema,
  envVar: tokenEnvVarSchema,
  hosts: tokenHostsSchema,
  value: tokenValueInputSchema,
  testPath: tokenTestPathSchema.optional(),
});
export type SetTokenRequest = z.input<typeof setTokenRequestSchema>;

export const setTokenResultSchema = z.object({
  name: tokenNameSchema,
  envVar: z.string(),
  hosts: z.array(z.string()),
  hint: z.string(),
  /** True when a token was already stored under the name and this one took its place. */
  replaced: z.boolean(),
  warnings: z.array(z.string()),
});
export type SetTokenResult = z.infer<typeof setTokenResultSchema>;

export const tokenRequestSchema = z.strictObject({ name: tokenNameSchema });
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export const deleteTokenResultSchema = z.object({
  name: tokenNameSchema,
  /** False when there was no such binding and no such token. */
  removed: z.boolean(),
});
export type DeleteTokenResult = z.infer<typeof deleteTokenResultSchema>;

export const tokenTestOutcomeSchema = z.enum([
  'ok',
  /** The host answered 401 or 403. */
  'rejected',
  /** The network policy does not let commands reach the host. */
  'blocked',
  'unreachable',
  'no-token',
  /** No host to test (wildcards only), no workspace, or no sandbox or curl on this machine. */
  'unavailable',
  'unexpected-response',
]);
export type TokenTestOutcome = z.infer<typeof tokenTestOutcomeSchema>;

export const tokenTestResultSchema = z.object({
  name: tokenNameSchema,
  outcome: tokenTestOutcomeSchema,
  /** One sentence for the user; never contains the token. */
  message: z.string(),
  httpStatus: z.number().int().nullable(),
  /** The URL requested (no query), or null when nothing was requested. */
  url: z.string().nullable(),
});
export type TokenTestResult = z.infer<typeof tokenTestResultSchema>;
