import { parseArgs } from 'node:util';
import type { CredentialList, KeyTestResult } from '../../../shared/domain/credentials';
import { createCredentials, type Credentials } from '../../credentials/credentials';
import { CredentialError } from '../../credentials/errors';
import { readKeyFromStdin, StdinKeyError } from '../../credentials/stdin-key';
import { UsageError, type CliCommand, type CliIo } from '../command';

export interface KeysCommandDeps {
  /** Build the credentials service for this run (tests may inject their own backend). */
  readonly createCredentials?: (io: CliIo, timeoutMs: number | undefined) => Credentials;
  /**
   * Called after a keychain call timed out: its native worker may never return and would keep the
   * process alive, so the real CLI ends itself once its output is written.
   */
  readonly onKeychainHang?: () => void;
}

const USAGE = `vtcode-desktop keys <list|set|delete|test|import> [PROVIDER] [options]

  list                  every provider: stored / from environment / missing, and the key's last 4 characters
  set PROVIDER          store a key in the OS keychain, read from stdin (never from the command line):
                          printf %s "$KEY" | vtcode-desktop keys set openai
                        on a terminal it asks for the key without echoing it. The key is sent only
                        to the provider's base URL (a custom one's base_url in your user vtcode.toml)
  delete PROVIDER       remove the provider's key from the keychain
  test PROVIDER         make a cheap authenticated call to the provider with the key it would use
  import PROVIDER       copy the provider's key from its environment variable into the keychain

  PROVIDER              openai, anthropic, gemini, openrouter, deepseek, xai, moonshot, or custom:<name>
  --base-url URL        (test) call this base URL instead of the provider's
                        (set) save the key for this base URL instead: conversations may then send it
                        there (e.g. a proxy given as the session's Base URL), and nowhere else
  --json                print JSON instead of prose (never contains a key)

  Environment: VTCODE_DESKTOP_KEYCHAIN_TIMEOUT_MS bounds each keychain call (default 15000).`;

const KEYCHAIN_TIMEOUT_ENV = 'VTCODE_DESKTOP_KEYCHAIN_TIMEOUT_MS';

/** `VTCODE_DESKTOP_KEYCHAIN_TIMEOUT_MS`, checked; undefined when unset. */
export function keychainTimeout(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[KEYCHAIN_TIMEOUT_ENV];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100 || ms > 600_000) {
    throw new UsageError(
      `${KEYCHAIN_TIMEOUT_ENV} must be a whole number of ms from 100 to 600000.`,
    );
  }
  return ms;
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: { 'base-url': { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: true,
    });
  } catch {
    // parseArgs quotes the offending argument, which could be a key typed in the wrong place.
    const names = args.filter((a) => /^--?[a-z][a-z-]*$/.test(a));
    throw new UsageError(
      `Unrecognised option${names.length > 0 ? ` (${names.join(', ')})` : ''}; options are --base-url and --json.`,
    );
  }
}

function printList(list: CredentialList, io: CliIo): void {
  if (list.keychain.available) {
    io.stdout.write('Keychain: available\n\n');
  } else {
    io.stdout.write(
      `Keychain: NOT available. ${list.keychain.message}\nFix: ${list.keychain.fix}\n\n`,
    );
  }
  const rows = list.providers.map((p) => [
    p.provider,
    p.status === 'from-environment' ? `from environment (${p.envVarFound ?? ''})` : p.status,
    p.storage ?? '',
    // A variable a vtcode.toml named could hold any secret: it is shown as set, no more.
    p.hint ?? (p.status === 'missing' ? '' : 'set (not shown)'),
    p.baseUrl ?? '',
  ]);
  const header = ['PROVIDER', 'STATUS', 'STORAGE', 'KEY', 'SENT ONLY TO'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) {
    io.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

function printTest(result: KeyTestResult, io: CliIo): void {
  const from = result.source ? ` [key from ${result.source}]` : '';
  const stream = result.outcome === 'ok' ? io.stdout : io.stderr;
  stream.write(
    `${result.outcome === 'ok' ? 'OK' : 'FAILED'} (${result.outcome}): ${result.message}${from}\n`,
  );
}

async function runAction(
  action: string,
  provider: string | undefined,
  values: { 'base-url'?: string | undefined; json: boolean },
  credentials: Credentials,
  io: CliIo,
): Promise<{ code: number; hung: boolean }> {
  const out = (value: unknown): void => {
    io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };
  const need = (): string => {
    if (provider === undefined) throw new UsageError(`keys ${action} needs a PROVIDER.`);
    return provider;
  };
  switch (action) {
    case 'list': {
      const list = await credentials.store.list();
      if (values.json) out(list);
      else printList(list, io);
      const hung = !list.keychain.available && list.keychain.problem === 'timeout';
      return { code: 0, hung };
    }
    case 'set': {
      const id = need();
      const key = await readKeyFromStdin(io, `Key for ${id} (input hidden): `);
      const baseUrl = values['base-url'];
      const result = await credentials.store.set(id, key, baseUrl === undefined ? {} : { baseUrl });
      if (values.json) out(result);
      else {
        for (const warning of result.warnings) io.stderr.write(`Warning: ${warning}\n`);
        io.stdout.write(
          `${result.replaced ? 'Replaced' : 'Stored'} the ${result.provider} key in the OS keychain (${result.hint})${result.baseUrl ? `, for ${result.baseUrl} only` : ''}.\n`,
        );
      }
      return { code: 0, hung: false };
    }
    case 'delete': {
      const result = await credentials.store.delete(need());
      if (values.json) out(result);
      else
        io.stdout.write(
          result.removedFrom.length > 0
            ? `Deleted the ${result.provider} key from the keychain.\n`
            : `No ${result.provider} key was stored; nothing to delete.\n`,
        );
      return { code: 0, hung: false };
    }
    case 'test': {
      const baseUrl = values['base-url'];
      const result = await credentials.store.test(need(), baseUrl === undefined ? {} : { baseUrl });
      if (values.json) out(result);
      else printTest(result, io);
      return { code: result.outcome === 'ok' ? 0 : 1, hung: false };
    }
    case 'import': {
      const result = await credentials.store.importFromEnvironment(need());
      if (values.json) out(result);
      else {
        for (const warning of result.warnings) io.stderr.write(`Warning: ${warning}\n`);
        io.stdout.write(
          `Imported the ${result.provider} key into the OS keychain (${result.hint})${result.baseUrl ? `, for ${result.baseUrl} only` : ''}.\n`,
        );
      }
      return { code: 0, hung: false };
    }
    default:
      throw new UsageError(`Unknown keys action "${action.slice(0, 40)}".`);
  }
}

/** Build the `keys` command; the registered one exits the process if the keychain hangs. */
export function createKeysCommand(deps: KeysCommandDeps = {}): CliCommand {
  return {
    name: 'keys',
    summary: 'Manage provider API keys in the OS keychain (list, set, delete, test, import)',
    usage: USAGE,
    async run(args, io) {
      const { values, positionals } = parse(args);
      const [action, provider, ...extra] = positionals;
      if (action === undefined)
        throw new UsageError('Say what to do: list, set, delete, test or import.');
      if (extra.length > 0 || (action === 'list' && provider !== undefined)) {
        // Never echo the extra words: the likeliest one is a key typed on the command line.
        throw new UsageError(
          action === 'set'
            ? 'keys set takes only the PROVIDER: the key is read from stdin, never from the command line (it would land in shell history and the process list).'
            : `Too many arguments for keys ${action.slice(0, 40)}.`,
        );
      }
      if (values['base-url'] !== undefined && action !== 'test' && action !== 'set') {
        throw new UsageError('--base-url applies to keys test and keys set only.');
      }
      const timeoutMs = keychainTimeout(io.env);
      let credentials: Credentials;
      try {
        credentials = deps.createCredentials
          ? deps.createCredentials(io, timeoutMs)
          : createCredentials({
              env: io.env,
              ...(timeoutMs === undefined ? {} : { keychainTimeoutMs: timeoutMs }),
            });
      } catch (error) {
        io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
      }
      let outcome: { code: number; hung: boolean };
      try {
        outcome = await runAction(action, provider, values, credentials, io);
      } catch (error) {
        if (error instanceof StdinKeyError) {
          io.stderr.write(`${error.message}\n`);
          return 2;
        }
        if (!(error instanceof CredentialError)) throw error;
        io.stderr.write(`${credentials.redactor.redact(error.message)}\n`);
        if (error.fix) io.stderr.write(`Fix: ${error.fix}\n`);
        outcome = { code: 1, hung: error.keychainProblem === 'timeout' };
      }
      if (outcome.hung) deps.onKeychainHang?.();
      return outcome.code;
    },
  };
}

/** The `keys` command as registered in the CLI. */
export const keysCommand = createKeysCommand({
  onKeychainHang: () => {
    // A keychain call is stuck in a native worker thread, and Node cannot even exit while one is
    // (its shutdown joins the thread pool). The timer is unref'd: it only fires if the process would
    // otherwise stay alive, and then the process ends itself once its output is written.
    setTimeout(() => {
      process.stderr.write('The keychain call is still stuck; exiting forcibly.\n');
      process.kill(process.pid, 'SIGKILL');
    }, 300).unref();
  },
});
