import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/*
 * The body of an answer `providerFetch` received over node:http, as the web stream the built-in
 * fetch gives: decoded as the server encoded it, read from the socket only as fast as it is
 * consumed, errored as the built-in one errors it.
 */

const MiB = 1024 * 1024;

/**
 * Sizes no model answer comes near (a long answer streams a few tens of MiB at most), so that a
 * server that sends without end cannot fill the memory: the SDKs buffer an event until its line
 * ends, and read an answer that is not streamed (and every error answer) whole.
 */
export const ANSWER_LIMITS = {
  /** A streamed answer in all. */
  streamBytes: 256 * MiB,
  /** Bytes without a line break. */
  lineBytes: 16 * MiB,
  /** An answer read whole (`text()`, `json()`). */
  wholeBytes: 32 * MiB,
} as const;

/** Why reading stopped: an answer past one of `ANSWER_LIMITS`. */
export const ANSWER_TOO_LARGE = 'ERR_ANSWER_TOO_LARGE';

/** The error for an answer past a limit, as the cause of fetch's `terminated`. */
export function tooLarge(what: string): Error {
  return Object.assign(new RangeError(`the answer is larger than ${what}`), {
    code: ANSWER_TOO_LARGE,
  });
}

/** One decoder per content coding, or null for a coding left as it is (as the built-in fetch does). */
function decoderFor(coding: string): NodeJS.ReadWriteStream | null {
  const zlib = process.getBuiltinModule('node:zlib');
  // As undici: what arrived is decoded even when the server cut the compressed data short.
  const sync = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(sync);
    case 'deflate':
      return zlib.createInflate(sync);
    case 'br':
      return zlib.createBrotliDecompress({
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
    default:
      return null;
  }
}

function decoded(res: IncomingMessage): Readable {
  const codings = (res.headers['content-encoding'] ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  // `gzip, br` was gzipped first: decoded in the reverse order. An unknown coding anywhere
  // leaves the body as it came, as the built-in fetch does.
  const decoders = codings.reverse().map(decoderFor);
  if (decoders.length === 0 || decoders.includes(null)) return res;
  let out: Readable = res;
  for (const decoder of decoders as NodeJS.ReadWriteStream[]) {
    const from = out;
    from.on('error', (error) => (decoder as unknown as Readable).destroy(error));
    out = from.pipe(decoder) as unknown as Readable;
  }
  return out;
}

/** The answer's body as a web stream that reads from the socket only as fast as it is consumed. */
export function bodyStream(
  res: IncomingMessage,
  req: ClientRequest,
  abortReason: () => Error | null,
): ReadableStream<Uint8Array> {
  const source = decoded(res);
  let done = false;
  let total = 0;
  let sinceLineBreak = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: unknown): void => {
        if (done) return;
        done = true;
        controller.error(abortReason() ?? new TypeError('terminated', { cause: error }));
      };
      source.on('data', (chunk: Buffer) => {
        // After a cancel or an error the socket may still deliver what it had buffered.
        if (done) return;
        total += chunk.length;
        const lineBreak = chunk.lastIndexOf(10);
        sinceLineBreak =
          lineBreak === -1 ? sinceLineBreak + chunk.length : chunk.length - lineBreak - 1;
        if (total > ANSWER_LIMITS.streamBytes || sinceLineBreak > ANSWER_LIMITS.lineBytes) {
          fail(
            tooLarge(
              total > ANSWER_LIMITS.streamBytes
                ? `${ANSWER_LIMITS.streamBytes / MiB} MiB`
                : `${ANSWER_LIMITS.lineBytes / MiB} MiB without a line break`,
            ),
          );
          res.destroy();
          return;
        }
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 1) <= 0) source.pause();
      });
      source.on('end', () => {
        if (done) return;
        done = true;
        controller.close();
      });
      source.on('error', fail);
      res.on('close', () => {
        if (!res.complete)
          fail(Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }));
      });
      req.on('error', fail);
    },
    pull() {
      source.resume();
    },
    cancel() {
      done = true;
      source.pause();
      res.destroy();
    },
  });
}
