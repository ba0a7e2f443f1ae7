import { describe, expect, it } from 'vitest';
import { coalesceScrollWork } from './xterm-scroll-work';

function fakeTerm() {
  const calls = { sync: [] as unknown[][], refresh: 0 };
  const selection = {
    selected: false,
    get hasSelection() {
      return this.selected;
    },
    refresh() {
      calls.refresh++;
    },
  };
  const viewport = {
    _sync(...args: unknown[]) {
      calls.sync.push(args);
    },
  };
  return {
    term: { _core: { _viewport: viewport, _selectionService: selection } },
    calls,
    selection,
  };
}

describe('coalesceScrollWork', () => {
  it('turns many scrollbar syncs into one per frame, and keeps calls with a position', () => {
    const { term, calls } = fakeTerm();
    const frames: (() => void)[] = [];
    coalesceScrollWork(term, (cb) => frames.push(cb));
    for (let i = 0; i < 1000; i++) term._core._viewport._sync();
    term._core._viewport._sync(7);
    expect(calls.sync).toEqual([[7]]);
    expect(frames).toHaveLength(1);
    frames.splice(0).forEach((cb) => cb());
    expect(calls.sync).toEqual([[7], []]);
  });

  it('skips selection redraws while nothing is or was selected', () => {
    const { term, calls, selection } = fakeTerm();
    coalesceScrollWork(term, () => undefined);
    term._core._selectionService.refresh();
    expect(calls.refresh).toBe(0);
    selection.selected = true;
    term._core._selectionService.refresh();
    selection.selected = false;
    // The redraw that clears the drawn selection goes through; the ones after it do not.
    term._core._selectionService.refresh();
    term._core._selectionService.refresh();
    expect(calls.refresh).toBe(2);
  });

  it('undoes itself, and patches nothing on an xterm.js shaped differently', () => {
    const { term, calls } = fakeTerm();
    const frames: (() => void)[] = [];
    const undo = coalesceScrollWork(term, (cb) => frames.push(cb));
    term._core._viewport._sync();
    undo?.();
    frames.splice(0).forEach((cb) => cb());
    term._core._viewport._sync();
    term._core._selectionService.refresh();
    expect(calls.sync).toEqual([[]]);
    expect(calls.refresh).toBe(1);
    expect(coalesceScrollWork({}, () => undefined)).toBeNull();
    expect(coalesceScrollWork(null, () => undefined)).toBeNull();
  });
});
