import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/*
 * The body of an answer `providerFetch` received over node:http, as the web stream the built-in
 * fetch gives: decoded as the server encoded it, read from the socket only as fast as it is
 * consumed, errored as the built-in one errors it.
 */

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
