/**
 * Keeps at most `maxBytes` of a run's output: the first half as it came, the last half as a
 * rolling tail. Memory is bounded by `maxBytes`, however much the command prints.
 */
export class HeadTailBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  /*
   * The tail is a ring: one buffer, grown on demand up to `tailLimit`, that new bytes overwrite
   * oldest-first. Appending a read is one copy and no allocation, which keeps the garbage
   * collector out of the way at hundreds of MB/s.
   */
  private ring: Buffer = Buffer.alloc(0);
  private ringStart = 0;
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
      // Copied: a small kept slice must not pin the large read it came from.
      this.head.push(Buffer.from(data.subarray(0, take)));
      this.headBytes += take;
      data = data.subarray(take);
      if (data.length === 0) return;
    }
    this.appendTail(
      data.length > this.tailLimit ? data.subarray(data.length - this.tailLimit) : data,
    );
  }

  private appendTail(data: Buffer): void {
    if (this.tailBytes + data.length > this.ring.length && this.ring.length < this.tailLimit) {
      const size = Math.min(
        this.tailLimit,
        Math.max(this.ring.length * 2, this.tailBytes + data.length, 64 * 1024),
      );
      const grown = Buffer.alloc(size);
      this.ringContents().copy(grown);
      this.ring = grown;
      this.ringStart = 0;
    }
    const size = this.ring.length;
    const end = (this.ringStart + this.tailBytes) % size;
    const first = Math.min(data.length, size - end);
    data.copy(this.ring, end, 0, first);
    if (first < data.length) data.copy(this.ring, 0, first);
    const overflow = this.tailBytes + data.length - size;
    if (overflow > 0) {
      this.ringStart = (this.ringStart + overflow) % size;
      this.tailBytes = size;
    } else {
      this.tailBytes += data.length;
    }
  }

  /** The tail's bytes, oldest first. */
  private ringContents(): Buffer {
    const size = this.ring.length;
    if (this.ringStart + this.tailBytes <= size) {
      return this.ring.subarray(this.ringStart, this.ringStart + this.tailBytes);
    }
    return Buffer.concat([
      this.ring.subarray(this.ringStart),
      this.ring.subarray(0, this.ringStart + this.tailBytes - size),
    ]);
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
    const tail = decodeTail(this.ringContents());
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
