import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import type { RunId } from '../../../shared/domain/runner';
import type { ResolvedTheme } from '../settings/theme';
import type { OutputPump } from './output-pump';
import { coalesceScrollWork } from './xterm-scroll-work';
import { xtermTheme } from './xterm-theme';
import { createXtermWriter } from './xterm-writer';

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** Full reset (RIS). Written, not called, so output still queued in xterm.js is parsed before it. */
const RESET = '\u001bc';

/**
 * One xterm.js terminal showing the open run: redrawn from the run's replay log when the tab
 * changes, then fed once per frame by the output pump, as fast as xterm.js parses (see
 * xterm-writer.ts). Input is off: runs take no keystrokes.
 */
export function XtermView({
  runId,
  label,
  pump,
  theme,
  sizeRef,
  onSize,
}: {
  runId: RunId | null;
  label: string;
  pump: OutputPump;
  theme: ResolvedTheme;
  sizeRef: { current: TerminalSize | null };
  /** The shown run and the terminal's size, on every fit and whenever another run is shown. */
  onSize?: (runId: RunId, size: TerminalSize) => void;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  // Read by the resize observer, which outlives renders.
  const latest = useRef({ runId, onSize });
  useEffect(() => {
    latest.current = { runId, onSize };
    if (runId && sizeRef.current) onSize?.(runId, sizeRef.current);
  }, [runId, onSize, sizeRef]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    const term = new Terminal({
      disableStdin: true,
      cursorInactiveStyle: 'none',
      scrollback: 10_000,
      fontSize: 12.5,
      fontFamily: "ui-monospace, 'SF Mono', 'DejaVu Sans Mono', Menlo, monospace",
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    const undoScrollWork = coalesceScrollWork(term);
    termRef.current = term;
    const refit = () => {
      // A hidden panel has no size; fitting then would shrink the terminal to nothing.
      if (host.clientWidth === 0 || host.clientHeight === 0) return;
      fit.fit();
      sizeRef.current = { cols: term.cols, rows: term.rows };
      host.dataset.cols = String(term.cols);
      host.dataset.rows = String(term.rows);
      const { runId: shown, onSize: tell } = latest.current;
      if (shown) tell?.(shown, sizeRef.current);
    };
    const observer = new ResizeObserver(refit);
    observer.observe(host);
    refit();
    return () => {
      observer.disconnect();
      undoScrollWork?.();
      termRef.current = null;
      term.dispose();
    };
  }, [sizeRef]);

  useEffect(() => {
    const term = termRef.current;
    if (!term) return undefined;
    term.write(RESET);
    if (!runId) return undefined;
    pump.flush();
    const writer = createXtermWriter(term, pump);
    writer.write(pump.replay(runId));
    const stop = pump.listen((id, data) => {
      if (id === runId) writer.write(data);
    });
    return () => {
      stop();
      writer.dispose();
    };
  }, [runId, pump]);

  // Declared after the terminal is made, so it also sets the first theme.
  useEffect(() => {
    if (termRef.current) termRef.current.options.theme = xtermTheme(theme);
  }, [theme]);

  return <div ref={hostRef} className="xterm-host" role="group" aria-label={label} />;
}
