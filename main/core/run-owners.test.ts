import { describe, expect, it } from 'vitest';
import type { RunnerEvent } from '../../shared/domain/runner';
import { newClientState, type BridgeClient } from '../ipc/router';
import type { RunnerService } from '../runner/runner-service';
import { RunOwners } from './run-owners';

function fakeRunner() {
  let listener: (e: RunnerEvent) => void = () => undefined;
  const cancelled: string[] = [];
  const runner = {
    subscribe: (l: (e: RunnerEvent) => void) => {
      listener = l;
      return () => undefined;
    },
    cancel: (id: string) => cancelled.push(id) > 0,
  } as unknown as RunnerService;
  return { runner, emit: (e: RunnerEvent) => listener(e), cancelled };
}

function client(): BridgeClient & { got: string[] } {
  const got: string[] = [];
  return { id: 'c', state: newClientState(), got, emit: (channel) => got.push(channel) };
}

const output = (runId: string): RunnerEvent => ({
  type: 'output',
  event: { runId, seq: 0, data: 'x', bytes: 1 },
});

describe('RunOwners', () => {
  it('delivers events that came before the owner was known, in order', () => {
    const { runner, emit } = fakeRunner();
    const owners = new RunOwners(runner);
    emit({ type: 'started', summary: { runId: 'run-1' } as never });
    emit(output('run-1'));
    const c = client();
    owners.own('run-1', c);
    emit(output('run-1'));
    expect(c.got).toEqual(['runner:started', 'runner:output', 'runner:output']);
  });

  it('sends a run only to its owner and cancels it when the owner goes away', () => {
    const { runner, emit, cancelled } = fakeRunner();
    const owners = new RunOwners(runner);
    const a = client();
    const b = client();
    owners.own('run-a', a);
    emit(output('run-a'));
    expect(b.got).toEqual([]);
    for (const dispose of a.state.disposers) dispose();
    expect(cancelled).toEqual(['run-a']);
  });
});
