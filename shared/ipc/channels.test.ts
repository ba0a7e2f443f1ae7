import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel } from './channels';
import { events, invokes } from './contract';

describe('channels.ts (the names the renderer and the preload load)', () => {
  it('are exactly the channels of the contract, each once', () => {
    expect([...INVOKE_CHANNELS].sort()).toEqual(Object.keys(invokes).sort());
    expect([...EVENT_CHANNELS].sort()).toEqual(Object.keys(events).sort());
    expect(new Set(INVOKE_CHANNELS).size).toBe(INVOKE_CHANNELS.length);
    expect(new Set(EVENT_CHANNELS).size).toBe(EVENT_CHANNELS.length);
  });

  it.each([
    ['workspace:open', true, false],
    ['agent:event', false, true],
    ['workspace:open ', false, false],
    ['constructor', false, false],
    ['__proto__', false, false],
    ['toString', false, false],
    ['', false, false],
    [42, false, false],
    [null, false, false],
    [{ toString: () => 'workspace:open' }, false, false],
  ])('%j: invoke %s, event %s', (value, invoke, event) => {
    expect(isInvokeChannel(value)).toBe(invoke);
    expect(isEventChannel(value)).toBe(event);
  });
});
