import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key file in the app's data folder (never in a workspace; sandboxed commands cannot read it). */
export const SEAL_KEY_FILE = 'session-seal.key';

const MARK = ',"seal":"';
const SEAL_HEX = 64;

/**
 * Seals session-log lines with an HMAC under a per-install key, so a log is acted on (history
 * restored, changes revertable) only if this app wrote it, for this workspace and session. A log
 * a repository ships, or a line edited since, reads as unsealed: shown, never acted on.
 */
export class SessionSealer {
  private constructor(private readonly key: Buffer) {}

  /** The install's key, made on first use (0600). */
  static forDataDir(dataDir: string): SessionSealer {
    const file = join(dataDir, SEAL_KEY_FILE);
    const read = (): Buffer | null => {
      try {
        const text = readFileSync(file, 'utf8').trim();
        return /^[0-9a-f]{64}$/.test(text) ? Buffer.from(text, 'hex') : null;
      } catch {
        return null;
      }
    };
    const existing = read();
    if (existing) return new SessionSealer(existing);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const made = read();
    if (!made) throw new Error(`${file} is damaged: delete it to make a new session key`);
    return new SessionSealer(made);
  }

  /** A sealer with a given key (tests). */
  static withKey(key: Buffer): SessionSealer {
    return new SessionSealer(key);
  }

  private mac(scope: string, json: string): string {
    return createHmac('sha256', this.key).update(scope).update('\0').update(json).digest('hex');
  }

  /** `{"a":1}` -> `{"a":1,"seal":"<hmac>"}`; `scope` names the workspace and the session. */
  seal(scope: string, json: string): string {
    if (!json.endsWith('}')) throw new Error('only JSON objects are sealed');
    return `${json.slice(0, -1)}${MARK}${this.mac(scope, json)}"}`;
  }

  /** The line without its seal, and whether the seal is this install's for `scope`. */
  open(scope: string, line: string): { json: string; sealed: boolean } {
    const at = line.length - (MARK.length + SEAL_HEX + 2);
    if (at <= 0 || line.slice(at, at + MARK.length) !== MARK || !line.endsWith('"}'))
      return { json: line, sealed: false };
    const json = `${line.slice(0, at)}}`;
    const given = Buffer.from(line.slice(at + MARK.length, line.length - 2), 'hex');
    const want = Buffer.from(this.mac(scope, json), 'hex');
    const sealed = given.length === want.length && timingSafeEqual(given, want);
    return { json: sealed ? json : line, sealed };
  }
}
