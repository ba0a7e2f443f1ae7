/*
 * Widths of the shell's resizable panes: the sessions sidebar on the left and the inspector
 * (policy / terminal) on the right; the conversation takes what is left. The person's chosen
 * widths are remembered in localStorage; a narrow window shows them narrower without forgetting
 * them, the way VS Code's sashes do.
 */

export type Pane = 'sidebar' | 'inspector';

export interface PaneSizes {
  readonly sidebar: number;
  readonly inspector: number;
}

interface Limits {
  readonly min: number;
  readonly max: number;
  readonly initial: number;
}

export const PANE_LIMITS: Readonly<Record<Pane, Limits>> = {
  sidebar: { min: 200, max: 480, initial: 260 },
  inspector: { min: 340, max: 960, initial: 460 },
};

/** The conversation never gets narrower than this while a pane can still give way. */
export const CONVERSATION_MIN = 360;

/** Width of one drag handle between two panes. */
export const SPLITTER_WIDTH = 5;

export const DEFAULT_PANE_SIZES: PaneSizes = {
  sidebar: PANE_LIMITS.sidebar.initial,
  inspector: PANE_LIMITS.inspector.initial,
};

const PANE_SIZES_KEY = 'vtcode-desktop:pane-sizes';

function clamp(value: number, min: number, max: number): number {
  return Math.round(Math.min(Math.max(value, min), Math.max(min, max)));
}

function clampPane(pane: Pane, value: unknown): number {
  const limits = PANE_LIMITS[pane];
  return typeof value === 'number' && Number.isFinite(value)
    ? clamp(value, limits.min, limits.max)
    : limits.initial;
}

/** The remembered widths; anything missing or unreadable falls back to the initial width. */
export function readPaneSizes(storage: Pick<Storage, 'getItem'>): PaneSizes {
  try {
    const raw: unknown = JSON.parse(storage.getItem(PANE_SIZES_KEY) ?? 'null');
    const stored = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    return {
      sidebar: clampPane('sidebar', stored.sidebar),
      inspector: clampPane('inspector', stored.inspector),
    };
  } catch {
    return DEFAULT_PANE_SIZES;
  }
}

/** Remember the widths (a full or disabled storage only costs the memory, not the layout). */
export function writePaneSizes(storage: Pick<Storage, 'setItem'>, sizes: PaneSizes): void {
  try {
    storage.setItem(PANE_SIZES_KEY, JSON.stringify(sizes));
  } catch {
    // Nothing to do: the widths still apply to this window.
  }
}

/**
 * The widths shown in a shell `available` pixels wide: the wanted ones when they fit, else the
 * inspector gives way first, then the sidebar, each down to its minimum.
 */
export function fitPanes(wanted: PaneSizes, available: number): PaneSizes {
  const sidebar = clampPane('sidebar', wanted.sidebar);
  const inspector = clampPane('inspector', wanted.inspector);
  const room = available - 2 * SPLITTER_WIDTH - CONVERSATION_MIN;
  const fittedInspector = clamp(room - sidebar, PANE_LIMITS.inspector.min, inspector);
  const fittedSidebar = clamp(room - fittedInspector, PANE_LIMITS.sidebar.min, sidebar);
  return { sidebar: fittedSidebar, inspector: fittedInspector };
}

/** How narrow and how wide `pane` can be made now, next to the other pane as shown. */
export function paneRange(
  pane: Pane,
  shown: PaneSizes,
  available: number,
): { min: number; max: number } {
  const other = pane === 'sidebar' ? shown.inspector : shown.sidebar;
  const { min, max } = PANE_LIMITS[pane];
  const room = available - 2 * SPLITTER_WIDTH - CONVERSATION_MIN - other;
  return { min, max: clamp(room, min, max) };
}

/** `sizes` with `pane` set to `value`, kept within what the window allows now. */
export function resizePane(
  sizes: PaneSizes,
  pane: Pane,
  value: number,
  available: number,
): PaneSizes {
  const shown = fitPanes(sizes, available);
  const { min, max } = paneRange(pane, shown, available);
  return { ...sizes, [pane]: clamp(value, min, max) };
}
