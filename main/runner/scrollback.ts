/**
 * Keeps at most `maxBytes` of a run's output: the first half as it came, the last half as a
 * rolling tail. Memory is bounded by `maxBytes` plus one chunk, however much the command prints.
 */
export class HeadTailBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 2) {
      throw new RangeError(`maxBytes must be an integer of at least 2, got ${maxBytes}`);
    }
    this.headLimit = Math.floor(maxBytes / 2);
    this.tailLimit = maxBytes - this.headLimit;
  }

  /** Append output; strings are stored as UTF-8. */
  append(chunk: string | Buffer): void {
    let data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (data.length === 0) return;
    this.total += data.length;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, data.length);
      // Copied, like the tail: a small kept slice must not pin the large read it came from.
      this.head.push(Buffer.from(data.subarray(0, take)));
      this.headBytes += take;
      data = data.subarray(take);
      if (data.length === 0) return;
    }
    // Copy so a kept tail slice does not pin a large chunk it came from.
    const kept = data.length > this.tailLimit ? data.subarray(data.length - this.tailLimit) : data;
    this.tail.push(Buffer.from(kept));
    this.tailBytes += kept.length;
    while (this.tailBytes > this.tailLimit) {
      const first = this.tail[0];
      if (!first) break;
      const excess = this.tailBytes - this.tailLimit;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
      }
    }
  }

  /** Every byte the command printed. */
  get totalBytes(): number {
    return this.total;
  }

  /** Bytes kept (head + tail). */
  get keptBytes(): number {
    return this.headBytes + this.tailBytes;
  }

  /** Bytes between head and tail that are gone. */
  get droppedBytes(): number {
    return this.total - this.keptBytes;
  }

  /** The kept output as text, with a notice where bytes were dropped. */
  text(): string {
    const head = decodeHead(Buffer.concat(this.head));
    const tail = decodeTail(Buffer.concat(this.tail));
    if (this.droppedBytes === 0) return head + tail;
    return `${head}\n[... ${this.droppedBytes} bytes dropped ...]\n${tail}`;
  }
}

/** Decode UTF-8 without a replacement character for a sequence cut at the end. */
function decodeHead(bytes: Buffer): string {
  let end = bytes.length;
  // Step back over a trailing incomplete multi-byte sequence (at most 3 bytes).
  for (let i = 1; i <= Math.min(3, bytes.length); i++) {
    const b = bytes[bytes.length - i] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > i) end = bytes.length - i;
    break;
  }
  return bytes.subarray(0, end).toString('utf8');
}

/** Decode UTF-8 skipping continuation bytes left at the start by a cut. */
function decodeTail(bytes: Buffer): string {
  let start = 0;
  while (start < bytes.length && start < 3 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}
