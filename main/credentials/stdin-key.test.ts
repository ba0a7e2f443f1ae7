import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StdinKeyError, readKeyFromStdin } from './stdin-key';

function sink() {
  let text = '';
  const stream = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function fakeTty() {
  const stdin = new PassThrough() as PassThrough & {
    isTTY: boolean;
    setRawMode: (m: boolean) => void;
  };
  const modes: boolean[] = [];
  stdin.isTTY = true;
  stdin.setRawMode = (mode) => modes.push(mode);
  return { stdin, modes };
}

describe('readKeyFromStdin', () => {
  it('reads a whole pipe', async () => {
    const err = sink();
    const key = await readKeyFromStdin(
      { stdin: Readable.from(['sk-proj-', 'abc123\n']), stderr: err.stream },
      'Key: ',
    );
    expect(key).toBe('sk-proj-abc123\n');
    expect(err.text()).toBe(''); // no prompt when piped
  });

  it.each([[''], ['\n'], ['  \r\n']])(
    'refuses an empty pipe (%j) with how to pipe a key',
    async (input) => {
      const err = sink();
      await expect(
        readKeyFromStdin({ stdin: Readable.from([input]), stderr: err.stream }, 'Key: '),
      ).rejects.toThrow(/No key on stdin \(it was empty\); nothing was stored\. Pipe the key in/);
    },
  );

  it('gives up on a pipe that never sends anything', async () => {
    const err = sink();
    const stdin = new PassThrough();
    await expect(
      readKeyFromStdin({ stdin, stderr: err.stream }, 'Key: ', { idleTimeoutMs: 200 }),
    ).rejects.toThrow(/Nothing arrived on stdin within 0.2s/);
  });

  it('refuses an oversized pipe', async () => {
    const err = sink();
    await expect(
      readKeyFromStdin({ stdin: Readable.from(['x'.repeat(2000)]), stderr: err.stream }, 'Key: ', {
        maxBytes: 1000,
      }),
    ).rejects.toBeInstanceOf(StdinKeyError);
  });

  it('on a terminal, prompts, reads hidden input with backspace, and restores the mode', async () => {
    const err = sink();
    const { stdin, modes } = fakeTty();
    const pending = readKeyFromStdin(
      { stdin, stderr: err.stream },
      'Key for openai (input hidden): ',
    );
    stdin.write('sk-abX');
    stdin.write('\u007fc123\r');
    await expect(pending).resolves.toBe('sk-abc123');
    expect(modes).toEqual([true, false]);
    expect(err.text()).toBe('Key for openai (input hidden): \n'); // nothing echoed
  });

  it('on a terminal, Ctrl-C cancels and an empty line is refused', async () => {
    const first = fakeTty();
    const cancelled = readKeyFromStdin({ stdin: first.stdin, stderr: sink().stream }, 'Key: ');
    first.stdin.write('sk-\u0003');
    await expect(cancelled).rejects.toThrow(/Cancelled; nothing was stored/);
    expect(first.modes).toEqual([true, false]);

    const second = fakeTty();
    const empty = readKeyFromStdin({ stdin: second.stdin, stderr: sink().stream }, 'Key: ');
    second.stdin.write('\r');
    await expect(empty).rejects.toThrow(/No key entered/);
  });
});
