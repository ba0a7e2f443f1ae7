/** Reading a key from stdin failed or produced nothing; the message says how to do it right. */
export class StdinKeyError extends Error {}

export interface StdinKeyOptions {
  /** A pipe that sends nothing for this long is treated as a mistake rather than waited on. */
  readonly idleTimeoutMs?: number;
  readonly maxBytes?: number;
  /** How to pipe the secret in, for the messages (the `keys set` example by default). */
  readonly pipeHint?: string;
}

interface StdinLike extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

const PIPE_HINT = 'printf %s "$OPENAI_API_KEY" | npm run --silent cli -- keys set openai';

function readHidden(stdin: StdinLike, stderr: NodeJS.WritableStream, prompt: string) {
  return new Promise<string>((resolve, reject) => {
    const chars: string[] = [];
    stderr.write(prompt);
    stdin.setRawMode?.(true);
    stdin.resume();
    const finish = (error: StdinKeyError | null): void => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(chars.join(''));
    };
    // Raw mode: nothing is echoed, so the key never appears on screen or in a recording.
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || (char === '\u0004' && chars.length === 0)) {
          finish(null);
          return;
        }
        if (char === '\u0003') {
          finish(new StdinKeyError('Cancelled; nothing was stored.'));
          return;
        }
        if (char === '\u007f' || char === '\b') chars.pop();
        else chars.push(char);
      }
    };
    stdin.on('data', onData);
  });
}

function readPipe(
  stdin: StdinLike,
  options: Required<Pick<StdinKeyOptions, 'idleTimeoutMs' | 'maxBytes'>> & { hint: string },
) {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (error: StdinKeyError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      stdin.pause();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const idle = setTimeout(
      () =>
        done(
          new StdinKeyError(
            `Nothing arrived on stdin within ${options.idleTimeoutMs / 1000}s. Pipe the key in: ${options.hint}`,
          ),
        ),
      options.idleTimeoutMs,
    );
    const onData = (chunk: Buffer | string): void => {
      clearTimeout(idle);
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > options.maxBytes) {
        done(
          new StdinKeyError(
            `stdin holds more than ${options.maxBytes} bytes; that is not an API key.`,
          ),
        );
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => done(null);
    const onError = (error: Error): void =>
      done(new StdinKeyError(`Could not read stdin: ${error.message}`));
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onError);
    stdin.resume();
  });
}

/**
 * Read one key for `keys set`: hidden input on a terminal, the whole of stdin otherwise. The key
 * never comes from argv. Empty input is an error, never an empty key.
 */
export async function readKeyFromStdin(
  io: { readonly stdin: NodeJS.ReadableStream; readonly stderr: NodeJS.WritableStream },
  prompt: string,
  options: StdinKeyOptions = {},
): Promise<string> {
  const stdin = io.stdin as StdinLike;
  const hint = options.pipeHint ?? PIPE_HINT;
  const key =
    stdin.isTTY === true
      ? await readHidden(stdin, io.stderr, prompt)
      : await readPipe(stdin, {
          idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
          maxBytes: options.maxBytes ?? 64 * 1024,
          hint,
        });
  if (key.trim() === '') {
    throw new StdinKeyError(
      stdin.isTTY === true
        ? 'No key entered; nothing was stored.'
        : `No key on stdin (it was empty); nothing was stored. Pipe the key in: ${hint}`,
    );
  }
  return key;
}
