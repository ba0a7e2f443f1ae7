/*
 * xterm.js 6.0 does two things for every line that scrolls which only need doing once per frame
 * (measured with bench/ui-bench.ts on a flood of lines):
 * - its Viewport updates the scrollbar synchronously (`_sync()` on the buffer's scroll event), a
 *   third of its parse time;
 * - the selection service asks for a selection redraw, and the DOM renderer answers that by
 *   drawing every row again, each frame, even with nothing selected and inside a synchronized
 *   output block (where rows are otherwise not drawn until the block ends).
 * Both are trimmed here: scrollbar syncs are coalesced into one per animation frame, and a
 * selection redraw is skipped while there is no selection and none was drawn. This reaches into
 * xterm.js internals; where they are not as expected nothing is patched and xterm.js works as
 * shipped, only slower.
 */

type Method = (...args: unknown[]) => unknown;

interface Internals {
  viewport: { _sync: Method };
  selection: { refresh: Method; readonly hasSelection: boolean };
}

function internalsOf(term: unknown): Internals | null {
  const core = (term as { _core?: Record<string, unknown> } | null)?._core;
  const viewport = core?._viewport as { _sync?: unknown } | undefined;
  const selection = core?._selectionService as { refresh?: unknown; hasSelection?: unknown };
  if (typeof viewport?._sync !== 'function' || typeof selection?.refresh !== 'function')
    return null;
  if (typeof selection.hasSelection !== 'boolean') return null;
  return {
    viewport: viewport as Internals['viewport'],
    selection: selection as Internals['selection'],
  };
}

/**
 * Trim xterm.js's per-scrolled-line work on an opened terminal. Returns the undo (call it before
 * disposing the terminal), or null when this xterm.js is not shaped as expected.
 */
export function coalesceScrollWork(
  term: unknown,
  frame: (callback: () => void) => unknown = (callback) => requestAnimationFrame(callback),
): (() => void) | null {
  const internals = internalsOf(term);
  if (!internals) return null;
  const { viewport, selection } = internals;
  const sync = viewport._sync;
  const refresh = selection.refresh;
  let queued = false;
  let active = true;
  let selectionDrawn = false;

  viewport._sync = (...args: unknown[]) => {
    // With an argument it is xterm.js's own frame callback (a resize or a buffer switch): keep it.
    if (args.length > 0) return sync.apply(viewport, args);
    if (queued) return undefined;
    queued = true;
    frame(() => {
      queued = false;
      if (active) sync.call(viewport);
    });
    return undefined;
  };
  selection.refresh = (...args: unknown[]) => {
    // A redraw that clears a selection still goes through: one was drawn.
    if (!selection.hasSelection && !selectionDrawn) return undefined;
    selectionDrawn = selection.hasSelection;
    return refresh.apply(selection, args);
  };
  return () => {
    active = false;
    viewport._sync = sync;
    selection.refresh = refresh;
  };
}
