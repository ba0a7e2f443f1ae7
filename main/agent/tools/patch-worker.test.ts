import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FAILING_CASES, MATCHING_CASES, largeCase, updateChunks } from './patch-cases';
import { PatchError, applyChunks, type PatchChunk } from './patch-format';
import {
  PATCH_WORKER_SOURCE,
  PatchWorkerHost,
  applyChunksAsync,
  isLargePatch,
  sharedPatchWorker,
} from './patch-worker';

/** The result or the error message, so the sync and async paths can be compared as values. */
async function outcome(run: () => string | Promise<string>): Promise<string> {
  try {
    return `ok ${await run()}`;
  } catch (error) {
    if (!(error instanceof PatchError)) throw error;
    return `PatchError ${error.message}`;
  }
}

// The real worker program, misbehaving on request (by the job's path) before it matches.
const HANDLER = "parentPort.on('message', ({ id, text, chunks, path }) => {";
const BROKEN = PATCH_WORKER_SOURCE.replace(
  HANDLER,
  `${HANDLER}
  if (path === 'exit') process.exit(3);
  if (path === 'hang') for (;;);
  if (path === 'throw') throw new Error('boom');`,
);

const hosts: PatchWorkerHost[] = [];
function host(options: ConstructorParameters<typeof PatchWorkerHost>[0] = {}): PatchWorkerHost {
  const h = new PatchWorkerHost(options);
  hosts.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

describe('applyChunksAsync', () => {
  const cases = [
    ...MATCHING_CASES.map(([name, before, body]) => [name, before, body] as const),
    ...FAILING_CASES.map(([name, before, body]) => [name, before, body] as const),
  ];

  const worker = new PatchWorkerHost();
  afterAll(() => worker.close());

  it.each(cases)(
    'gives what applyChunks gives, inline and in a worker: %s',
    async (_n, before, body) => {
      const chunks = updateChunks(body);
      const expected = await outcome(() => applyChunks(before, chunks, 'a'));
      expect(await outcome(() => applyChunksAsync(before, chunks, 'a'))).toBe(expected);
      expect(await outcome(() => worker.run(before, chunks, 'a'))).toBe(expected);
    },
  );

  it.each([16_000, 100_000])('applies 50 hunks to a %i-line file in the worker', async (lines) => {
    const { before, chunks, after } = largeCase(lines, 50);
    expect(isLargePatch(before, chunks)).toBe(true);
    expect(await applyChunksAsync(before, chunks, 'a')).toBe(after);
    expect(sharedPatchWorker().threadId).toBeGreaterThan(0);
  });

  it('rejects a large mismatch with the same PatchError as applyChunks', async () => {
    const { before, chunks } = largeCase(16_000, 50);
    const broken = [
      ...chunks,
      { anchor: 'function nowhere() {', oldLines: ['x'], newLines: [], endOfFile: false },
    ];
    const expected = await outcome(() => applyChunks(before, broken, 'big.ts'));
    expect(expected).toMatch(/^PatchError hunk 51 in big.ts: the @@ line/);
    expect(await outcome(() => applyChunksAsync(before, broken, 'big.ts'))).toBe(expected);
  });

  it('keeps small inputs inline and sends long patches to the worker', () => {
    const chunks = updateChunks('@@\n-a\n+b');
    expect(isLargePatch('a\n'.repeat(1_990), chunks)).toBe(false);
    expect(isLargePatch('a\n'.repeat(2_000), chunks)).toBe(true);
    expect(isLargePatch('a'.repeat(256 * 1024), chunks)).toBe(true);
    const long: PatchChunk = {
      anchor: null,
      oldLines: [],
      newLines: Array<string>(2_000).fill('x'),
      endOfFile: false,
    };
    expect(isLargePatch('a\n', [long])).toBe(true);
  });
});

describe('PatchWorkerHost', () => {
  const chunks = updateChunks('@@\n-a\n+b');
  const healthy = async (h: PatchWorkerHost): Promise<void> => {
    expect(await h.run('a\n', chunks, 'ok')).toBe('b\n');
  };

  it.each([
    [
      'exits',
      'exit',
      /^could not apply the hunks to exit: the patch worker stopped \(exit code 3\)$/,
    ],
    ['throws', 'throw', /^could not apply the hunks to throw: the patch worker failed: boom$/],
    [
      'hangs',
      'hang',
      /^could not apply the hunks to hang: the patch worker took longer than 0.5 s$/,
    ],
  ])(
    'turns a worker that %s into a PatchError, then starts a new one',
    async (_n, path, message) => {
      expect(BROKEN).not.toBe(PATCH_WORKER_SOURCE);
      const h = host({ source: BROKEN, timeoutMs: 500 });
      await healthy(h);
      const first = h.threadId;
      const failed = h.run('a\n', chunks, path);
      await expect(failed).rejects.toBeInstanceOf(PatchError);
      await expect(failed).rejects.toThrow(message);
      await healthy(h);
      expect(h.threadId).not.toBe(first);
    },
  );

  it('reports an exception inside the matcher as a PatchError', async () => {
    const bad = [
      { anchor: null, oldLines: null, newLines: [], endOfFile: false },
    ] as unknown as PatchChunk[];
    await expect(host().run('a\n', bad, 'x')).rejects.toThrow(
      /^could not apply the hunks to x: the patch worker failed: TypeError/,
    );
  });

  it('runs queued jobs in order on one worker', async () => {
    const h = host();
    const results = await Promise.all(
      ['a\n', 'x\na\n', 'a\na\n'].map((text) => h.run(text, chunks, 'q')),
    );
    expect(results).toEqual(['b\n', 'x\nb\n', 'b\na\n']);
  });

  it('ends an idle worker and starts another for the next job', async () => {
    const h = host({ idleMs: 20 });
    await healthy(h);
    expect(h.threadId).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.threadId).toBeNull();
    await healthy(h);
  });

  it('fails running and queued jobs when closed', async () => {
    const h = host({ source: BROKEN });
    const jobs = Promise.allSettled([h.run('a\n', chunks, 'hang'), h.run('a\n', chunks, 'ok')]);
    await h.close();
    for (const job of await jobs) {
      expect(job.status).toBe('rejected');
      if (job.status === 'rejected')
        expect(String(job.reason)).toMatch(/the patch worker was closed$/);
    }
  });
});
