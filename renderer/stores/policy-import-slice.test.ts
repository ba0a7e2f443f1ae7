import { describe, expect, it, vi } from 'vitest';
import type { PolicySnapshot } from '../../shared/domain/policy';
import type { ImportPreview, ImportRow } from '../../shared/domain/policy-import';
import type { BridgeApi } from '../../shared/ipc/api';
import { BridgeError } from '../../shared/ipc/errors';
import { chosenEntryCount, defaultChosen, detectRequest } from './policy-import-slice';
import { createRootStore } from './root-store';

const row = (id: string, over: Partial<ImportRow> = {}): ImportRow => ({
  id,
  file: null,
  where: 'line 1',
  source: `rule ${id}`,
  status: 'new',
  changes: [{ list: 'allow', entry: `exec_command(${id})`, present: false }],
  why: null,
  note: null,
  warning: null,
  ...over,
});

const preview = (rows: ImportRow[]): ImportPreview => ({
  from: 'claude',
  target: 'workspace',
  targetFile: '/w/vtcode.toml',
  files: [],
  rows,
  edits: [],
  notes: [],
});

const ROWS = [
  row('a'),
  row('b', { warning: 'runs any command' }),
  row('c', { status: 'not-mapped', changes: [], why: 'no' }),
  row('d', { status: 'duplicate', changes: [{ list: 'deny', entry: 'x', present: true }] }),
  row('e', {
    changes: [
      { list: 'allow', entry: 'exec_command(a)', present: false },
      { list: 'allow', entry: 'y', present: true },
    ],
  }),
];

function store(policy: Partial<BridgeApi['policy']>) {
  return createRootStore({ policy } as unknown as BridgeApi);
}

describe('policy import slice', () => {
  it('chooses every row that adds something, except the flagged ones', () => {
    expect(defaultChosen(ROWS)).toEqual(['a', 'e']);
    expect(chosenEntryCount(ROWS, ['a', 'e'])).toBe(1);
    expect(chosenEntryCount(ROWS, ['a', 'b', 'c', 'd'])).toBe(2);
  });

  it('previews, toggles only rows that add something, and adds the chosen ones', async () => {
    const importPreview = vi.fn(() => Promise.resolve(preview(ROWS)));
    const importApply = vi.fn(() => Promise.resolve({ tools: {} } as unknown as PolicySnapshot));
    const s = store({ importPreview, importApply });
    await s.getState().previewImport(detectRequest('claude', 'workspace'));
    expect(importPreview).toHaveBeenCalledWith({
      from: 'claude',
      source: { kind: 'detect' },
      target: 'workspace',
    });
    s.getState().toggleImportRow('b');
    s.getState().toggleImportRow('c');
    s.getState().toggleImportRow('a');
    const ready = s.getState().policyImport;
    expect(ready.state === 'ready' && ready.chosen).toEqual(['e', 'b']);
    expect(await s.getState().applyImport()).toBe(true);
    expect(importApply).toHaveBeenCalledWith({
      from: 'claude',
      source: { kind: 'detect' },
      target: 'workspace',
      accept: ['e', 'b'],
    });
    expect(s.getState().policy).toMatchObject({ state: 'ready' });
    const after = s.getState().policyImport;
    expect(after.state === 'ready' && after.done).toMatch(/Added 2 rules to \/w\/vtcode\.toml/);
  });

  it('keeps the preview and shows why when main refuses', async () => {
    const s = store({
      importPreview: () => Promise.resolve(preview(ROWS)),
      importApply: () => Promise.reject(new BridgeError('invalid-argument', 'not in the preview')),
    });
    await s.getState().previewImport(detectRequest('codex', 'user'));
    expect(await s.getState().applyImport()).toBe(false);
    const st = s.getState().policyImport;
    expect(st.state === 'ready' && st.error).toMatch(/not in the preview/);
  });

  it('shows a preview error, and ignores an answer that arrives after a newer request', async () => {
    let release: (p: ImportPreview) => void = () => undefined;
    const slow = new Promise<ImportPreview>((r) => (release = r));
    const importPreview = vi
      .fn()
      .mockReturnValueOnce(slow)
      .mockReturnValueOnce(Promise.reject(new BridgeError('invalid-argument', 'bad file')));
    const s = store({ importPreview });
    const first = s.getState().previewImport(detectRequest('claude', 'workspace'));
    await s.getState().previewImport(detectRequest('codex', 'workspace'));
    release(preview(ROWS));
    await first;
    expect(s.getState().policyImport).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/bad file/) as unknown,
    });
  });
});
