import { describe, expect, it } from 'vitest';
import {
  CONVERSATION_MIN,
  DEFAULT_PANE_SIZES,
  fitPanes,
  paneRange,
  PANE_LIMITS,
  readPaneSizes,
  resizePane,
  SPLITTER_WIDTH,
  writePaneSizes,
} from './pane-sizes';

const KEY = 'vtcode-desktop:pane-sizes';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    data,
  };
}

describe('readPaneSizes', () => {
  it.each([
    ['nothing stored', undefined, DEFAULT_PANE_SIZES],
    ['not JSON', '{oops', DEFAULT_PANE_SIZES],
    ['not an object', '42', DEFAULT_PANE_SIZES],
    ['null', 'null', DEFAULT_PANE_SIZES],
    ['strings', '{"sidebar":"300","inspector":"500"}', DEFAULT_PANE_SIZES],
    ['NaN-ish', '{"sidebar":null,"inspector":1e999}', DEFAULT_PANE_SIZES],
    ['one good value', '{"sidebar":300}', { ...DEFAULT_PANE_SIZES, sidebar: 300 }],
    ['both good', '{"sidebar":300,"inspector":600}', { sidebar: 300, inspector: 600 }],
    ['too small', '{"sidebar":10,"inspector":-5}', { sidebar: 200, inspector: 340 }],
    ['too large', '{"sidebar":5000,"inspector":5000}', { sidebar: 480, inspector: 960 }],
    ['fractions', '{"sidebar":300.6,"inspector":500.2}', { sidebar: 301, inspector: 500 }],
  ])('%s', (_name, stored, expected) => {
    const storage = memoryStorage(stored === undefined ? {} : { [KEY]: stored });
    expect(readPaneSizes(storage)).toEqual(expected);
  });

  it('falls back when storage throws', () => {
    const storage = {
      getItem: () => {
        throw new Error('disabled');
      },
    };
    expect(readPaneSizes(storage)).toEqual(DEFAULT_PANE_SIZES);
  });
});

describe('writePaneSizes', () => {
  it('round-trips through readPaneSizes', () => {
    const storage = memoryStorage();
    writePaneSizes(storage, { sidebar: 333, inspector: 555 });
    expect(readPaneSizes(storage)).toEqual({ sidebar: 333, inspector: 555 });
  });

  it('survives a storage that refuses to write', () => {
    const storage = {
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(() => writePaneSizes(storage, DEFAULT_PANE_SIZES)).not.toThrow();
  });
});

/** The conversation's width once both panes and both handles are drawn. */
function conversation(available: number, sizes: { sidebar: number; inspector: number }) {
  return available - sizes.sidebar - sizes.inspector - 2 * SPLITTER_WIDTH;
}

describe('fitPanes', () => {
  it('shows the wanted widths when they fit', () => {
    expect(fitPanes({ sidebar: 300, inspector: 600 }, 1920)).toEqual({
      sidebar: 300,
      inspector: 600,
    });
  });

  it('narrows the inspector first, keeping the conversation its minimum', () => {
    const shown = fitPanes(DEFAULT_PANE_SIZES, 1024);
    expect(shown.sidebar).toBe(DEFAULT_PANE_SIZES.sidebar);
    expect(shown.inspector).toBeLessThan(DEFAULT_PANE_SIZES.inspector);
    expect(conversation(1024, shown)).toBe(CONVERSATION_MIN);
  });

  it('then the sidebar, once the inspector is at its minimum', () => {
    const shown = fitPanes({ sidebar: 400, inspector: 700 }, 1024);
    expect(shown.inspector).toBe(PANE_LIMITS.inspector.min);
    expect(shown.sidebar).toBe(1024 - 2 * SPLITTER_WIDTH - CONVERSATION_MIN - 340);
    expect(conversation(1024, shown)).toBe(CONVERSATION_MIN);
  });

  it('never goes below the minimums, even in a window too small for them', () => {
    expect(fitPanes(DEFAULT_PANE_SIZES, 600)).toEqual({
      sidebar: PANE_LIMITS.sidebar.min,
      inspector: PANE_LIMITS.inspector.min,
    });
  });

  it('fits every window from 1024 px up', () => {
    for (let width = 1024; width <= 2560; width += 37) {
      const shown = fitPanes({ sidebar: 480, inspector: 960 }, width);
      expect(conversation(width, shown)).toBeGreaterThanOrEqual(CONVERSATION_MIN);
    }
  });
});

describe('paneRange and resizePane', () => {
  it('caps a pane so the conversation keeps its minimum', () => {
    const shown = fitPanes(DEFAULT_PANE_SIZES, 1400);
    const range = paneRange('inspector', shown, 1400);
    expect(range.min).toBe(PANE_LIMITS.inspector.min);
    expect(range.max).toBe(1400 - 2 * SPLITTER_WIDTH - CONVERSATION_MIN - shown.sidebar);
  });

  it('caps at the pane limit in a wide window', () => {
    expect(paneRange('sidebar', DEFAULT_PANE_SIZES, 3000).max).toBe(PANE_LIMITS.sidebar.max);
  });

  it.each([
    ['within range', 'sidebar', 300, 300],
    ['below the minimum', 'sidebar', 50, 200],
    ['past the window', 'inspector', 5000, 1400 - 10 - 360 - 260],
    ['rounded', 'inspector', 400.4, 400],
  ] as const)('%s', (_name, pane, value, expected) => {
    const next = resizePane(DEFAULT_PANE_SIZES, pane, value, 1400);
    expect(next[pane]).toBe(expected);
    const other = pane === 'sidebar' ? 'inspector' : 'sidebar';
    expect(next[other]).toBe(DEFAULT_PANE_SIZES[other]);
  });
});
