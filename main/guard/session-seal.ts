import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key file in the app's data folder (never in a workspace; sandboxed commands cannot read it). */
export const SEAL_KEY_FILE = 'session-seal.key';

const MARK = ',"seal":"';
const MARK_BYTES = Buffer.from(MARK, 'latin1');
const SEAL_HEX = 64;
const BLOCK = 64;
/**
 * Seals session-log lines with an HMAC under a per-install key, so a log is acted on (history
 * restored, changes revertable) only if this app wrote it, for this workspace and session. A log
 * a repository ships, or a line edited since, reads as unsealed: shown, never acted on.
 */
export class SessionSealer {
  /** HMAC's padded keys (RFC 2104), for sealedLength's one-shot hashing. */
  private readonly ipad: Buffer;
  private readonly outer: Buffer;
  /** ipad, then `scope` and NUL, then the line: one hash input, kept for the next line. */
  private scratch = Buffer.alloc(0);
  private scratchScope: string | null = null;
  private scratchPrefix = 0;

  private constructor(private readonly key: Buffer) {
    const padded = Buffer.alloc(BLOCK);
    // A key longer than SHA-256's block is hashed first (RFC 2104); ours are 32 bytes.
    (key.length > BLOCK ? hash('sha256', key, 'buffer') : key).copy(padded);
    this.ipad = Buffer.from(padded.map((b) => b ^ 0x36));
    this.outer = Buffer.alloc(BLOCK + 32);
    Buffer.from(padded.map((b) => b ^ 0x5c)).copy(this.outer);
  }

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

  /**
   * `open` for a line as bytes, for readers of many lines (the activity backtest): the length of
   * the sealed JSON before its seal (the object is `line[0, n)` followed by `}`), or -1 when the
   * line is not sealed for `scope`. The same HMAC as `open`, computed with two one-shot hashes into
   * a reused buffer: an Hmac object per line was a third of the time of reading a large log.
   */
  sealedLength(scope: string, line: Buffer): number {
    const at = line.length - (MARK.length + SEAL_HEX + 2);
    if (at <= 0 || line[line.length - 2] !== 0x22 || line[line.length - 1] !== 0x7d) return -1;
    for (let i = 0; i < MARK_BYTES.length; i++) if (line[at + i] !== MARK_BYTES[i]) return -1;
    if (this.scratchScope !== scope) {
      const bytes = Buffer.from(`${scope}\0`, 'utf8');
      this.scratch = Buffer.alloc(Math.max(4096, BLOCK + bytes.length + at + 1));
      this.ipad.copy(this.scratch);
      bytes.copy(this.scratch, BLOCK);
      this.scratchScope = scope;
      this.scratchPrefix = BLOCK + bytes.length;
    }
    const size = this.scratchPrefix + at + 1;
    if (this.scratch.length < size) {
      const bigger = Buffer.alloc(Math.max(size, this.scratch.length * 2));
      this.scratch.copy(bigger, 0, 0, this.scratchPrefix);
      this.scratch = bigger;
    }
    line.copy(this.scratch, this.scratchPrefix, 0, at);
    this.scratch[size - 1] = 0x7d;
    hash('sha256', this.scratch.subarray(0, size), 'buffer').copy(this.outer, BLOCK);
    const want = hash('sha256', this.outer, 'hex');
    // Compared in full whatever differs (as timingSafeEqual); upper-case hex reads as `open` reads it.
    let diff = 0;
    for (let i = 0, p = at + MARK.length; i < SEAL_HEX; i++, p++) {
      let c = line[p] ?? 0;
      if (c >= 0x41 && c <= 0x46) c |= 0x20;
      diff |= c ^ want.charCodeAt(i);
    }
    return diff === 0 ? at : -1;
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
