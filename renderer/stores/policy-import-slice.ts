import type { StateCreator } from 'zustand';
import type {
  ImportFrom,
  ImportPreview,
  ImportPreviewRequest,
  ImportRow,
} from '../../shared/domain/policy-import';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

export type PolicyImportState =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly request: ImportPreviewRequest }
  | {
      readonly state: 'ready';
      readonly request: ImportPreviewRequest;
      readonly preview: ImportPreview;
      /** Ids of the rows to add. */
      readonly chosen: readonly string[];
      readonly applying: boolean;
      readonly error: string | null;
      /** What the last "Add" did, in words. */
      readonly done: string | null;
    }
  | { readonly state: 'error'; readonly request: ImportPreviewRequest; readonly message: string };

/** The Policy › Import view: a preview of another tool's rules and the rows chosen to add. */
export interface PolicyImportSlice {
  policyImport: PolicyImportState;
  previewImport: (request: ImportPreviewRequest) => Promise<void>;
  toggleImportRow: (id: string) => void;
  applyImport: () => Promise<boolean>;
}

/** Rows chosen by default: every row that adds something, except those flagged loudly. */
export function defaultChosen(rows: readonly ImportRow[]): string[] {
  return rows.filter((r) => r.status === 'new' && r.warning === null).map((r) => r.id);
}

/** How many vtcode.toml entries the chosen rows add (each entry once). */
export function chosenEntryCount(rows: readonly ImportRow[], chosen: readonly string[]): number {
  const set = new Set(chosen);
  const entries = new Set<string>();
  for (const r of rows) {
    if (r.status !== 'new' || !set.has(r.id)) continue;
    for (const c of r.changes) if (!c.present) entries.add(`${c.list}\0${c.entry}`);
  }
  return entries.size;
}

let seq = 0;

export const createPolicyImportSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], PolicyImportSlice> =>
  (set, get) => ({
    policyImport: { state: 'idle' },

    previewImport: async (request) => {
      const mine = ++seq;
      set({ policyImport: { state: 'loading', request } });
      try {
        const preview = await api.policy.importPreview(request);
        if (mine !== seq) return;
        set({
          policyImport: {
            state: 'ready',
            request,
            preview,
            chosen: defaultChosen(preview.rows),
            applying: false,
            error: null,
            done: null,
          },
        });
      } catch (error) {
        if (mine === seq)
          set({ policyImport: { state: 'error', request, message: errorMessage(error) } });
      }
    },

    toggleImportRow: (id) => {
      const s = get().policyImport;
      if (s.state !== 'ready') return;
      const row = s.preview.rows.find((r) => r.id === id);
      if (!row || row.status !== 'new') return;
      const chosen = s.chosen.includes(id) ? s.chosen.filter((x) => x !== id) : [...s.chosen, id];
      set({ policyImport: { ...s, chosen, error: null } });
    },

    applyImport: async () => {
      const s = get().policyImport;
      if (s.state !== 'ready' || s.chosen.length === 0 || s.applying) return false;
      const count = chosenEntryCount(s.preview.rows, s.chosen);
      set({ policyImport: { ...s, applying: true, error: null, done: null } });
      try {
        const target = s.preview.target;
        const snapshot = await api.policy.importApply({
          from: s.request.from,
          source: s.request.source,
          target,
          accept: [...s.chosen],
        });
        set({ policy: { state: 'ready', snapshot }, policyChangedOnDisk: false });
        await get().previewImport(s.request);
        const after = get().policyImport;
        const done = `Added ${count} rule${count === 1 ? '' : 's'} to ${s.preview.targetFile}.`;
        if (after.state === 'ready') set({ policyImport: { ...after, done } });
        return true;
      } catch (error) {
        set({ policyImport: { ...s, applying: false, error: errorMessage(error) } });
        return false;
      }
    },
  });

/** The request for a tool's rules as found on this machine. */
export function detectRequest(
  from: ImportFrom,
  target: 'workspace' | 'user',
): ImportPreviewRequest {
  return { from, source: { kind: 'detect' }, target };
}
