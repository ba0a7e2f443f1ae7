import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * Close a non-modal popover the way people expect: Escape closes it and puts focus back on the
 * button that opened it; a press outside the popover and its button closes it too, and focus goes
 * where that press put it (back to the button when the press landed on nothing focusable).
 */
export function useDismiss(
  open: boolean,
  close: () => void,
  trigger: RefObject<HTMLElement | null>,
  popup: RefObject<HTMLElement | null>,
): void {
  // The latest close without re-subscribing on every render.
  const closeRef = useRef(close);
  useLayoutEffect(() => {
    closeRef.current = close;
  });

  useEffect(() => {
    if (!open) return;
    const inside = (target: EventTarget | null) =>
      target instanceof Node &&
      Boolean(trigger.current?.contains(target) || popup.current?.contains(target));

    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      // Only this popover closes: not a sheet or dialog underneath that also listens for Escape.
      e.stopPropagation();
      e.preventDefault();
      closeRef.current();
      trigger.current?.focus();
    };
    const onPointerDown = (e: PointerEvent) => {
      if (inside(e.target)) return;
      closeRef.current();
      // The press moves focus after this handler; only when it moved nowhere does it go home.
      setTimeout(() => {
        if (document.activeElement === document.body || document.activeElement === null) {
          trigger.current?.focus();
        }
      }, 0);
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('pointerdown', onPointerDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('pointerdown', onPointerDown);
    };
  }, [open, trigger, popup]);
}
