import { useCallback } from 'react';
import { useRoot } from '../../stores/root-store';

/**
 * A place in the Policy panel a cited rule can open: a tool's row, a section, or one `[commands]`
 * rule (`rule:<list>:<entry>`, falling back to its section when the rule is not listed).
 */
export type PolicyTarget =
  `tool:${string}` | `rule:${string}` | 'default-policy' | 'commands' | 'permissions' | 'sandbox';

/** The element a target names (rows and the default policy carry `data-policy-target`). */
export function policyTargetSelector(target: PolicyTarget): string {
  if (target === 'commands') return 'section[aria-label="Command rules"]';
  if (target === 'permissions') return 'section[aria-label="Permission rules"]';
  if (target === 'sandbox') return 'section[aria-label="Sandbox"]';
  return `[data-policy-target="${target.replace(/["\\]/g, '\\$&')}"]`;
}

/** The target's data attribute value for a `[commands]` rule row. */
export function ruleTarget(list: string, entry: string): PolicyTarget {
  return `rule:${list}:${entry}`;
}

/** The element for a target, compared by value (a rule's text may hold anything). */
function findTarget(root: ParentNode, target: PolicyTarget): HTMLElement | null {
  if (!target.startsWith('rule:'))
    return root.querySelector<HTMLElement>(policyTargetSelector(target));
  for (const el of root.querySelectorAll<HTMLElement>('[data-policy-target^="rule:"]'))
    if (el.dataset.policyTarget === target) return el;
  const section = target.startsWith('rule:permissions.') ? 'permissions' : 'commands';
  return root.querySelector<HTMLElement>(policyTargetSelector(section));
}

const FLASH_MS = 1600;
/** Frames to wait for the Rules view to render after switching to it. */
const MAX_FRAMES = 10;

/**
 * Open the Policy panel's Rules view at a tool, a rule or a section: scrolled into view, focused
 * (keyboard users land on it) and outlined for a moment so the eye finds it.
 */
export function useOpenPolicy(): (target: PolicyTarget) => void {
  const setSide = useRoot((s) => s.setSidePanel);
  const setView = useRoot((s) => s.setPolicyView);
  return useCallback(
    (target) => {
      setSide('policy');
      setView('rules');
      let frames = 0;
      const attempt = () => {
        const el = findTarget(document, target);
        if (!el) {
          if (++frames < MAX_FRAMES) requestAnimationFrame(attempt);
          return;
        }
        el.scrollIntoView({ block: 'center' });
        if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
        el.focus({ preventScroll: true });
        el.classList.add('policy-target-flash');
        setTimeout(() => el.classList.remove('policy-target-flash'), FLASH_MS);
      };
      requestAnimationFrame(attempt);
    },
    [setSide, setView],
  );
}
