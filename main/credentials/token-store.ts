import {
  setTokenRequestSchema,
  tokenNameSchema,
  type DeleteTokenResult,
  type SetTokenRequest,
  type SetTokenResult,
  type TokenBinding,
  type TokenList,
} from '../../shared/domain/tokens';
import type { KeychainState } from '../../shared/domain/credentials';
import type { Logger } from '../log/logger';
import { CredentialError, asCredentialError } from './errors';
import { classifyKeychainError, type KeychainBackend, type KeychainError } from './keychain';
import type { SecretRedactor } from './redact';
import { MIN_REMEMBERED_SECRET } from './redact';
import type { TokenBindingRecord, TokenBindings } from './token-bindings';
import { maskKey } from './validate';

/** Tokens sit in the keychain beside provider keys, under `token:<name>` (no provider id has a `:` there). */
export const TOKEN_ACCOUNT_PREFIX = 'token:';

/** The keychain account a token is stored under. */
export function tokenAccount(name: string): string {
  return `${TOKEN_ACCOUNT_PREFIX}${name}`;
}

/** A token as the sandbox needs it: main-only, never on the bridge. */
export interface SandboxToken {
  readonly name: string;
  readonly envVar: string;
  readonly hosts: readonly string[];
  readonly value: string;
}

/** Every bound token for one run, and the bindings revision they were read under. */
export interface SandboxTokenSet {
  readonly revision: string;
  readonly tokens: readonly SandboxToken[];
}

export interface TokenStoreOptions {
  readonly backend: KeychainBackend;
  readonly bindings: TokenBindings;
  readonly redactor: SecretRedactor;
  readonly logger?: Logger;
}

const MAX_TOKEN_LENGTH = 8192;
/** How long a token set read with keychain failures is reused before the keychain is asked again. */
const RETRY_FAILED_MS = 30_000;

/** Trim and check a token as typed or pasted; messages never quote it. */
export function checkTokenValue(
  raw: string,
): { ok: true; value: string; warnings: string[] } | { ok: false; error: string } {
  const value = raw.trim();
  if (value.length === 0) return { ok: false, error: 'The token is empty.' };
  const bad = [...value].findIndex((c) => !/^[\x21-\x7e]$/.test(c));
  if (bad !== -1) {
    if (/^(bearer|token)\s/i.test(value)) {
      return { ok: false, error: 'Paste only the token itself, without "Bearer " or "token ".' };
    }
    return {
      ok: false,
      error: `The token has a space, control or non-ASCII character at position ${bad + 1}; tokens are one word of printable ASCII.`,
    };
  }
  // Shorter ones would not be redacted (the redactor ignores them, or every log would be shredded).
  if (value.length < MIN_REMEMBERED_SECRET) {
    return {
      ok: false,
      error: `The token is ${value.length} characters long; at least ${MIN_REMEMBERED_SECRET} are needed.`,
    };
  }
  if (value.length > MAX_TOKEN_LENGTH) {
    return { ok: false, error: `The token is longer than ${MAX_TOKEN_LENGTH} characters.` };
  }
  const warnings: string[] = [];
  if (/\*{3,}|\.{3}|…/.test(value)) {
    warnings.push('The token contains "***" or "...", as masked tokens do; paste the full token.');
  }
  return { ok: true, value, warnings };
}

function keychainState(error: KeychainError | null): KeychainState {
  return error === null
    ? { available: true }
    : { available: false, problem: error.problem, message: error.message, fix: error.fix };
}

function bindingsFailure(error: unknown, action: string): CredentialError {
  return new CredentialError(
    'bindings',
    `Could not ${action}: ${error instanceof Error ? error.message : String(error)}`,
    { fix: "Check that the app's data folder is writable and its token-bindings.json is intact." },
  );
}

/**
 * Tokens for commands: list (masked), set, delete for the UI and the CLI; `forSandbox` for the
 * runner only. Every token it reads or is given goes to the redactor first.
 */
export class TokenStore {
  /*
   * The tokens last handed to the sandbox, reused while the bindings are unchanged: reading the
   * keychain for every command would make a slow or locked keychain slow every command. A set
   * read with keychain failures is retried after a while rather than at every run.
   */
  private cached: {
    readonly revision: string;
    readonly set: SandboxTokenSet;
    readonly complete: boolean;
    readonly at: number;
  } | null = null;

  constructor(private readonly options: TokenStoreOptions) {}

  private async bindingList(action: string): Promise<TokenBindingRecord[]> {
    try {
      return await this.options.bindings.list();
    } catch (error) {
      throw bindingsFailure(error, action);
    }
  }

  /** Every binding with the last characters of its token, and whether the keychain is usable. */
  async list(): Promise<TokenList> {
    const bindings = await this.bindingList('list the tokens');
    const values = new Map<string, string>();
    let problem: KeychainError | null = null;
    try {
      for (const { account, password } of await this.options.backend.findAll()) {
        if (!account.startsWith(TOKEN_ACCOUNT_PREFIX) || !password) continue;
        this.options.redactor.remember(password);
        values.set(account.slice(TOKEN_ACCOUNT_PREFIX.length), password);
      }
    } catch (error) {
      problem = classifyKeychainError(error);
    }
    const tokens: TokenBinding[] = bindings.map((b) => {
      const value = values.get(b.name);
      return {
        name: b.name,
        envVar: b.envVar,
        hosts: [...b.hosts],
        testPath: b.testPath,
        hint: value ? maskKey(value) : null,
        savedAt: b.savedAt,
      };
    });
    return { keychain: keychainState(problem), tokens };
  }

  /** One binding (no token), or null. */
  async binding(name: string): Promise<TokenBindingRecord | null> {
    const list = await this.bindingList('read the token bindings');
    return list.find((b) => b.name === name) ?? null;
  }

  /**
   * Store a token and bind it (replacing a token of the same name). Throws CredentialError for a
   * bad request, a variable another binding uses, or a keychain that does not keep it.
   */
  async set(request: SetTokenRequest): Promise<SetTokenResult> {
    const parsed = setTokenRequestSchema.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'request';
      throw new CredentialError('invalid-binding', `${field}: ${issue?.message ?? 'invalid'}`);
    }
    const { name, envVar, hosts, value: raw } = parsed.data;
    const testPath = parsed.data.testPath ?? '/';
    const checked = checkTokenValue(raw);
    if (!checked.ok) throw new CredentialError('invalid-key', checked.error);
    this.options.redactor.remember(checked.value);
    const others = await this.bindingList('store the token');
    const clash = others.find((b) => b.envVar === envVar && b.name !== name);
    if (clash) {
      throw new CredentialError(
        'invalid-binding',
        `${envVar} is already the variable of the "${clash.name}" token; one variable holds one token.`,
      );
    }
    const { backend, bindings } = this.options;
    const account = tokenAccount(name);
    this.cached = null;
    try {
      const previous = await backend.get(account);
      // Unbound while it changes: a run started meanwhile gets no token rather than a mix.
      await bindings.set(name, null).catch((error: unknown) => {
        throw bindingsFailure(error, 'store the token');
      });
      await backend.set(account, checked.value);
      if ((await backend.get(account)) !== checked.value) {
        throw new CredentialError(
          'keychain',
          'The keychain accepted the token but did not return it when read back; it was not stored.',
          {
            fix: 'Check that your keyring is unlocked and has a default collection, then try again.',
          },
        );
      }
      await bindings.set(name, { envVar, hosts, testPath }).catch((error: unknown) => {
        throw bindingsFailure(error, 'record the hosts of the token');
      });
      this.options.logger?.info(previous ? 'token replaced' : 'token stored', {
        name,
        envVar,
        hosts,
      });
      return {
        name,
        envVar,
        hosts,
        hint: maskKey(checked.value),
        replaced: previous !== null,
        warnings: checked.warnings,
      };
    } catch (error) {
      throw asCredentialError(classifyIfKeychain(error), 'store the token');
    }
  }

  /** Remove the binding and the token. */
  async delete(nameInput: string): Promise<DeleteTokenResult> {
    const parsed = tokenNameSchema.safeParse(nameInput);
    if (!parsed.success) {
      throw new CredentialError('invalid-binding', `name: ${parsed.error.issues[0]?.message}`);
    }
    const name = parsed.data;
    this.cached = null;
    const bound = (await this.bindingList('delete the token')).some((b) => b.name === name);
    // The binding goes first: from then on no run is handed the token, even if the keychain fails.
    await this.options.bindings.set(name, null).catch((error: unknown) => {
      throw bindingsFailure(error, 'delete the token');
    });
    let removed: boolean;
    try {
      removed = await this.options.backend.delete(tokenAccount(name));
    } catch (error) {
      throw asCredentialError(classifyKeychainError(error), 'delete the token');
    }
    this.options.logger?.info('token deleted', { name });
    return { name, removed: removed || bound };
  }

  /** Whether the keychain holds the named token (never its value). Throws CredentialError. */
  async hasToken(name: string): Promise<boolean> {
    try {
      return Boolean(await this.options.backend.get(tokenAccount(name)));
    } catch (error) {
      throw asCredentialError(classifyKeychainError(error), 'read the token');
    }
  }

  /** The bindings revision: cheap (one small file), read for every run. */
  async revision(): Promise<string> {
    return this.options.bindings.revision();
  }

  /**
   * Every bound token with its value, for the sandbox to mask. Never throws: a token that cannot
   * be read is left out (its command gets no variable) and logged without its value.
   */
  async forSandbox(): Promise<SandboxTokenSet> {
    let revision: string;
    let bindings: TokenBindingRecord[];
    try {
      revision = await this.options.bindings.revision();
      bindings = await this.options.bindings.list();
    } catch (error) {
      this.options.logger?.warn('token bindings unreadable; commands get no tokens', {
        error: error instanceof Error ? error.message : String(error),
      });
      return { revision: 'unreadable', tokens: [] };
    }
    const hit = this.cached;
    if (hit?.revision === revision && (hit.complete || Date.now() - hit.at < RETRY_FAILED_MS)) {
      return hit.set;
    }
    const tokens: SandboxToken[] = [];
    let complete = true;
    for (const b of bindings) {
      try {
        const value = await this.options.backend.get(tokenAccount(b.name));
        if (!value) continue;
        this.options.redactor.remember(value);
        tokens.push({ name: b.name, envVar: b.envVar, hosts: b.hosts, value });
      } catch (error) {
        complete = false;
        this.options.logger?.warn('token unreadable from the keychain; commands get none', {
          name: b.name,
          error: classifyKeychainError(error).message,
        });
      }
    }
    const set = { revision, tokens };
    this.cached = { revision, set, complete, at: Date.now() };
    return set;
  }
}

function classifyIfKeychain(error: unknown): unknown {
  return error instanceof CredentialError ? error : classifyKeychainError(error);
}
