import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** Pixels an arrow key moves the handle; with Shift, a bigger step. */
const STEP = 16;
const BIG_STEP = 64;

interface SplitterProps {
  /** What the handle resizes, e.g. "Resize the sessions sidebar". */
  readonly label: string;
  /** Id of the pane whose width this handle sets. */
  readonly controls: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  /** +1 when the pane grows as the handle moves right (a left pane), -1 for a right pane. */
  readonly grows: 1 | -1;
  readonly onResize: (value: number) => void;
  readonly onReset: () => void;
}

/**
 * A vertical drag handle between two panes (WAI-ARIA window splitter): drag it, or focus it and
 * use the arrow keys (Shift for bigger steps), Home and End; a double-click or Enter resets it.
 */
export function Splitter({
  label,
  controls,
  value,
  min,
  max,
  grows,
  onResize,
  onReset,
}: SplitterProps) {
  const drag = useRef<{ x: number; value: number } | null>(null);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = { x: e.clientX, value };
    document.body.classList.add('resizing');
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onResize(drag.current.value + grows * (e.clientX - drag.current.x));
  };
  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    drag.current = null;
    document.body.classList.remove('resizing');
    if (e.currentTarget.hasPointerCapture(e.pointerId)) {
      e.currentTarget.releasePointerCapture(e.pointerId);
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? BIG_STEP : STEP;
    // Arrows move the handle the way they point, whichever side its pane is on.
    if (e.key === 'ArrowLeft') onResize(value - grows * step);
    else if (e.key === 'ArrowRight') onResize(value + grows * step);
    else if (e.key === 'Home') onResize(min);
    else if (e.key === 'End') onResize(max);
    else if (e.key === 'Enter') onReset();
    else return;
    e.preventDefault();
  };

  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuetext={`${value} pixels wide`}
      tabIndex={0}
      title="Drag to resize; double-click to reset"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
    />
  );
}
