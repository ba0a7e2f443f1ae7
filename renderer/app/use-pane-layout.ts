import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import {
  fitPanes,
  paneRange,
  PANE_LIMITS,
  readPaneSizes,
  resizePane,
  writePaneSizes,
  type Pane,
  type PaneSizes,
} from './pane-sizes';

export interface PaneControl {
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly resize: (value: number) => void;
  readonly reset: () => void;
}

/** The shell's pane widths fitted to `body`'s width, and the controls its splitters need. */
export function usePaneLayout(body: RefObject<HTMLElement | null>): {
  readonly shown: PaneSizes;
  readonly sidebar: PaneControl;
  readonly inspector: PaneControl;
} {
  const [wanted, setWanted] = useState<PaneSizes>(() => readPaneSizes(window.localStorage));
  const [available, setAvailable] = useState(() => window.innerWidth);

  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    // Measured by the observer alone: its first call comes after the browser's own layout of the
    // first frame and before that frame is painted, and flushSync puts a width that differs from
    // the first guess on screen in that same frame. Reading clientWidth here, inside React's
    // commit, forced a synchronous layout of the whole page before the first screen was
    // committed (15-30 ms on a slow machine, issue 18).
    const observer = new ResizeObserver(() => flushSync(() => setAvailable(el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [body]);

  const change = useCallback(
    (pane: Pane, value: number) => setWanted((sizes) => resizePane(sizes, pane, value, available)),
    [available],
  );
  useEffect(() => writePaneSizes(window.localStorage, wanted), [wanted]);

  const shown = fitPanes(wanted, available);
  const control = (pane: Pane): PaneControl => ({
    value: shown[pane],
    ...paneRange(pane, shown, available),
    resize: (value) => change(pane, value),
    reset: () => change(pane, PANE_LIMITS[pane].initial),
  });
  return { shown, sidebar: control('sidebar'), inspector: control('inspector') };
}
