import { useCallback } from 'react';
import { useRoot } from '../../stores/root-store';

/** A place in the Policy panel a cited rule can open: a tool's row, or a section. */
export type PolicyTarget =
  `tool:${string}` | 'default-policy' | 'commands' | 'permissions' | 'sandbox';

/** The element a target names (rows and the default policy carry `data-policy-target`). */
export function policyTargetSelector(target: PolicyTarget): string {
  if (target === 'commands') return 'section[aria-label="Command rules"]';
  if (target === 'permissions') return 'section[aria-label="Permission rules"]';
  if (target === 'sandbox') return 'section[aria-label="Sandbox"]';
  return `[data-policy-target="${target.replace(/["\\]/g, '\\$&')}"]`;
}

const FLASH_MS = 1600;

/**
 * Open the Policy panel at a tool or a section: scrolled into view, focused (keyboard users land
 * on it) and outlined for a moment so the eye finds it.
 */
export function useOpenPolicy(): (target: PolicyTarget) => void {
  const setSide = useRoot((s) => s.setSidePanel);
  return useCallback(
    (target) => {
      setSide('policy');
      requestAnimationFrame(() => {
        const el = document.querySelector<HTMLElement>(policyTargetSelector(target));
        if (!el) return;
        el.scrollIntoView({ block: 'center' });
        if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
        el.focus({ preventScroll: true });
        el.classList.add('policy-target-flash');
        setTimeout(() => el.classList.remove('policy-target-flash'), FLASH_MS);
      });
    },
    [setSide],
  );
}
