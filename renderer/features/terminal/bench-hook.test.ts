import { describe, expect, it } from 'vitest';
import { installTerminalBenchHook } from './bench-hook';
import { createOutputPump } from './output-pump';

describe('terminal bench hook', () => {
  it('is added only when the bench asked for it', () => {
    const target = {} as Window;
    installTerminalBenchHook(
      target,
      createOutputPump(() => undefined),
      () => 'run-a',
    );
    expect(target.__vtcodeBench).toBeUndefined();
  });

  it('pushes text into the open run through the pump, in chunks', async () => {
    const target = { __vtcodeBench: {} } as Window;
    const pump = createOutputPump(() => undefined);
    const seen: string[] = [];
    pump.listen((runId, data) => seen.push(`${runId}:${data}`));
    installTerminalBenchHook(target, pump, () => 'run-a');
    await target.__vtcodeBench?.replayOutput?.('abcdefg', 3);
    pump.flush();
    expect(seen).toEqual(['run-a:abcdefg']);
    expect(target.__vtcodeBench?.skipped?.()).toBe(0);
  });

  it('refuses when no run is open', async () => {
    const target = { __vtcodeBench: {} } as Window;
    installTerminalBenchHook(
      target,
      createOutputPump(() => undefined),
      () => null,
    );
    await expect(target.__vtcodeBench?.replayOutput?.('x', 1)).rejects.toThrow(/open run/);
  });
});
