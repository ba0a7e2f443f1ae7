import { useEffect, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements Tab moves between inside `root`, in order. */
export function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.hasAttribute('hidden') && el.getAttribute('aria-hidden') !== 'true',
  );
}

/**
 * Keep focus inside a modal dialog: Tab and Shift+Tab cycle within it, focus starts in it, and
 * goes back where it was when the dialog closes. `open` is for a dialog that stays mounted while
 * closed. Returns the keydown handler to put on the dialog.
 */
export function useFocusTrap(
  ref: RefObject<HTMLElement | null>,
  open = true,
): (e: KeyboardEvent) => void {
  useEffect(() => {
    if (!open) return;
    const before = document.activeElement as HTMLElement | null;
    if (ref.current && !ref.current.contains(document.activeElement)) ref.current.focus();
    return () => {
      // Back to where focus was, if that is still on the page (a closed popover's button is not).
      if (before?.isConnected) before.focus();
    };
  }, [ref, open]);
  return (e) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0] as HTMLElement;
    const last = items[items.length - 1] as HTMLElement;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };
}
