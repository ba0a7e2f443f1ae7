import { parseArgs } from 'node:util';
import type { TokenList } from '../../../shared/domain/tokens';
import { createCredentials, type Credentials } from '../../credentials/credentials';
import { CredentialError } from '../../credentials/errors';
import { readKeyFromStdin, StdinKeyError } from '../../credentials/stdin-key';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { keychainTimeout } from './keys';

export interface TokensCommandDeps {
  /** Build the credentials service for this run (tests pass an in-memory keychain). */
  readonly createCredentials?: (io: CliIo, timeoutMs: number | undefined) => Credentials;
  /** Called after a keychain call timed out (see keys.ts: the real CLI then ends itself). */
  readonly onKeychainHang?: () => void;
}

const PIPE_HINT =
  'printf %s "$TOKEN" | vtcode-desktop tokens set github --env GH_TOKEN --host api.github.com';

const USAGE = `vtcode-desktop tokens <list|set|delete> [NAME] [options]

Tokens commands use but never see: sandboxed commands find a placeholder in the variable, and the
sandbox proxy puts the real token into requests to the bound hosts only (HTTPS only), when the
network policy lets commands reach them.

  list                  every token: its variable, its hosts and its last 4 characters
  set NAME              store a token in the OS keychain, read from stdin (never from the command line):
                          ${PIPE_HINT}
                        on a terminal it asks for the token without echoing it
    --env VAR           the variable commands read it from (GH_TOKEN, NPM_TOKEN, ...)
    --host HOST         a host it is sent to (repeat for more): api.github.com, *.example.com
    --test-path PATH    where Test in Settings sends its request on the first host (default /)
  delete NAME           remove the token and its binding

  NAME                  a short lowercase name: github, npm-publish
  --json                print JSON instead of prose (never contains a token)`;

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        env: { type: 'string' },
        host: { type: 'string', multiple: true },
        'test-path': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch {
    // parseArgs quotes the offending argument, which could be a token typed in the wrong place.
    const names = args.filter((a) => /^--?[a-z][a-z-]*$/.test(a));
    throw new UsageError(
      `Unrecognised option${names.length > 0 ? ` (${names.join(', ')})` : ''}; options are --env, --host, --test-path and --json.`,
    );
  }
}

function printList(list: TokenList, io: CliIo): void {
  if (!list.keychain.available) {
    io.stdout.write(
      `Keychain: NOT available. ${list.keychain.message}\nFix: ${list.keychain.fix}\n\n`,
    );
  }
  if (list.tokens.length === 0) {
    io.stdout.write('No tokens. Add one with: tokens set NAME --env VAR --host HOST\n');
    return;
  }
  const rows = list.tokens.map((t) => [
    t.name,
    t.envVar,
    t.hint ?? 'not in the keychain',
    t.hosts.join(', '),
  ]);
  const header = ['NAME', 'VARIABLE', 'TOKEN', 'SENT ONLY TO'];
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

type Values = ReturnType<typeof parse>['values'];

async function runAction(
  action: string,
  name: string | undefined,
  values: Values,
  credentials: Credentials,
  io: CliIo,
): Promise<{ code: number; hung: boolean }> {
  const out = (value: unknown): void => {
    io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };
  const need = (): string => {
    if (name === undefined) throw new UsageError(`tokens ${action} needs a NAME.`);
    return name;
  };
  switch (action) {
    case 'list': {
      const list = await credentials.tokens.list();
      if (values.json) out(list);
      else printList(list, io);
      return { code: 0, hung: !list.keychain.available && list.keychain.problem === 'timeout' };
    }
    case 'set': {
      const id = need();
      if (!values.env)
        throw new UsageError('tokens set needs --env VAR (the variable commands read).');
      if (!values.host?.length) throw new UsageError('tokens set needs --host HOST (one or more).');
      const value = await readKeyFromStdin(io, `Token for ${id} (input hidden): `, {
        pipeHint: PIPE_HINT,
      });
      const result = await credentials.tokens.set({
        name: id,
        envVar: values.env,
        hosts: values.host,
        value,
        ...(values['test-path'] === undefined ? {} : { testPath: values['test-path'] }),
      });
      if (values.json) out(result);
      else {
        for (const warning of result.warnings) io.stderr.write(`Warning: ${warning}\n`);
        io.stdout.write(
          `${result.replaced ? 'Replaced' : 'Stored'} the ${result.name} token (${result.hint}). Sandboxed commands see a placeholder in $${result.envVar}; it is sent to ${result.hosts.join(', ')} only.\n`,
        );
      }
      return { code: 0, hung: false };
    }
    case 'delete': {
      const result = await credentials.tokens.delete(need());
      if (values.json) out(result);
      else
        io.stdout.write(
          result.removed
            ? `Deleted the ${result.name} token.\n`
            : `No ${result.name} token was stored; nothing to delete.\n`,
        );
      return { code: 0, hung: false };
    }
    default:
      throw new UsageError(`Unknown tokens action "${action.slice(0, 40)}".`);
  }
}

/** Build the `tokens` command; the registered one exits the process if the keychain hangs. */
export function createTokensCommand(deps: TokensCommandDeps = {}): CliCommand {
  return {
    name: 'tokens',
    summary:
      'Tokens commands use but never see: bind a keychain token to hosts (list, set, delete)',
    usage: USAGE,
    async run(args, io) {
      const { values, positionals } = parse(args);
      const [action, name, ...extra] = positionals;
      if (action === undefined) throw new UsageError('Say what to do: list, set or delete.');
      if (extra.length > 0 || (action === 'list' && name !== undefined)) {
        // Never echo the extra words: the likeliest one is a token typed on the command line.
        throw new UsageError(
          action === 'set'
            ? 'tokens set takes only the NAME: the token is read from stdin, never from the command line (it would land in shell history and the process list).'
            : `Too many arguments for tokens ${action.slice(0, 40)}.`,
        );
      }
      if (
        action !== 'set' &&
        (values.env !== undefined || values.host !== undefined || values['test-path'] !== undefined)
      ) {
        throw new UsageError('--env, --host and --test-path apply to tokens set only.');
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
        outcome = await runAction(action, name, values, credentials, io);
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

/** The `tokens` command as registered in the CLI. */
export const tokensCommand = createTokensCommand({
  onKeychainHang: () => {
    // As for `keys`: a keychain call stuck in a native worker would keep the process alive.
    setTimeout(() => {
      process.stderr.write('The keychain call is still stuck; exiting forcibly.\n');
      process.kill(process.pid, 'SIGKILL');
    }, 300).unref();
  },
});
