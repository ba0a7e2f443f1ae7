import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/*
 * Parts of the UI the first screen never shows (the message list, the approval and trust dialogs)
 * load as chunks of their own: on first use, or earlier while the page is idle after the first
 * screen (issue 18).
 */

/** Run `callback` when the page is next idle, within `timeout` ms; returns a cancel. */
export function whenIdle(callback: () => void, timeout = 2000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(callback, { timeout });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(callback, 200);
  return () => clearTimeout(id);
}

export interface LazyPart<P> {
  /** The component; rendering it loads it unless it is loaded already. */
  readonly Component: LazyExoticComponent<ComponentType<P>>;
  /** Start loading (once; again after a failed load); resolves when loaded. */
  readonly preload: () => Promise<ComponentType<P>>;
}

/** A component kept off the first screen: loaded when first rendered, or before by `preload`. */
export function lazyPart<P>(load: () => Promise<ComponentType<P>>): LazyPart<P> {
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () =>
    (loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    }));
  return {
    Component: lazy(() => preload().then((component) => ({ default: component }))),
    preload,
  };
}
