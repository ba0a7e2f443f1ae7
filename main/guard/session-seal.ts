import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineSeals, sealedLengths } from './seal-lines';

/** The key file in the app's data folder (never in a workspace; sandboxed commands cannot read it). */
export const SEAL_KEY_FILE = 'session-seal.key';

const MARK = ',"seal":"';
const SEAL_HEX = 64;
const BLOCK = 64;
/**
 * Seals session-log lines with an HMAC under a per-install key, so a log is acted on (history
 * restored, changes revertable) only if this app wrote it, for this workspace and session. A log
 * a repository ships, or a line edited since, reads as unsealed: shown, never acted on.
 */
export class SessionSealer {
  /** HMAC's padded keys (RFC 2104), for the one-shot hashing of sealedLength and lineSeals. */
  private readonly ipad: Buffer;
  private readonly opad: Buffer;
  private prefix: { scope: string; bytes: Uint8Array } | null = null;

  private constructor(private readonly key: Buffer) {
    const padded = Buffer.alloc(BLOCK);
    // A key longer than SHA-256's block is hashed first (RFC 2104); ours are 32 bytes.
    (key.length > BLOCK ? hash('sha256', key, 'buffer') : key).copy(padded);
    this.ipad = Buffer.from(padded.map((b) => b ^ 0x36));
    this.opad = Buffer.from(padded.map((b) => b ^ 0x5c));
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
   * `open` for a line as bytes: the length of the sealed JSON before its seal (the object is
   * `line[0, n)` followed by `}`), or -1 when the line is not sealed for `scope`.
   */
  sealedLength(scope: string, line: Uint8Array): number {
    const out = new Int32Array(1);
    sealedLengths(
      hash,
      this.prefixFor(scope),
      this.opad,
      line,
      new Int32Array([0]),
      new Int32Array([line.length]),
      out,
      0,
      1,
    );
    return out[0] ?? -1;
  }

  /**
   * The seals of many lines of one file (`bytes[starts[i], ends[i])`), checked ahead of the
   * reader, in a worker thread when there are many and `bytes` is shared memory (the activity
   * backtest): the same answers as sealedLength.
   */
  lineSeals(scope: string, bytes: Uint8Array, starts: Int32Array, ends: Int32Array): LineSeals {
    return new LineSeals(this.prefixFor(scope), this.opad, bytes, starts, ends);
  }

  /** HMAC's inner key (the padded key XOR 0x36), then the scope and a NUL: the start of every input. */
  private prefixFor(scope: string): Uint8Array {
    if (this.prefix?.scope !== scope) {
      this.prefix = { scope, bytes: Buffer.concat([this.ipad, Buffer.from(`${scope}\0`, 'utf8')]) };
    }
    return this.prefix.bytes;
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
