import { createHash } from 'node:crypto';
import type { KeychainBackend } from './keychain';
import type { SecretRedactor } from './redact';

/*
 * Secrets an MCP server gets (variables for a stdio server, headers for an HTTP one). They live in
 * the keychain under `mcp:<file>:<server>:<name>`, where <file> is a digest of the vtcode.toml that
 * declares the server: a repository declaring a server of the same name as one of the user's
 * never receives the user's secrets. Names are listed; values never leave main.
 */

const PREFIX = 'mcp:';

/** Which server a secret is for: its name and the file that declares it. */
export interface McpServerKey {
  readonly name: string;
  readonly file: string;
}

function scope(server: McpServerKey): string {
  const file = createHash('sha256').update(server.file).digest('hex').slice(0, 16);
  return `${PREFIX}${file}:${server.name}:`;
}

export class McpSecretStore {
  constructor(
    private readonly backend: KeychainBackend,
    private readonly redactor: SecretRedactor,
  ) {}

  /** The names of a server's secrets. */
  async names(server: McpServerKey): Promise<string[]> {
    const at = scope(server);
    return (await this.backend.findAll())
      .filter((e) => e.account.startsWith(at) && e.password)
      .map((e) => e.account.slice(at.length))
      .sort();
  }

  /** A server's secrets with their values: main only, for starting that server. */
  async values(server: McpServerKey): Promise<Record<string, string>> {
    const at = scope(server);
    const out: Record<string, string> = {};
    for (const e of await this.backend.findAll()) {
      if (!e.account.startsWith(at) || !e.password) continue;
      this.redactor.remember(e.password);
      out[e.account.slice(at.length)] = e.password;
    }
    return out;
  }

  async set(server: McpServerKey, name: string, value: string): Promise<void> {
    this.redactor.remember(value);
    await this.backend.set(`${scope(server)}${name}`, value);
  }

  async delete(server: McpServerKey, name: string): Promise<boolean> {
    return this.backend.delete(`${scope(server)}${name}`);
  }
}
