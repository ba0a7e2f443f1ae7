import type { StateCreator } from 'zustand';
import type { PolicyDecision, PolicySnapshot } from '../../shared/domain/policy';
import type { PolicyEdit } from '../../shared/domain/policy-edit';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import {
  editCount,
  invalidPermissionRules,
  withEdit,
  type PolicyEdits,
  type SaveTarget,
} from './policy-draft';
import type { RootState } from './root-store';

export type PolicyLoad =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly snapshot: PolicySnapshot }
  | { readonly state: 'error'; readonly message: string };

export type TryResult =
  | { readonly state: 'empty' }
  | { readonly state: 'checking' }
  /** `draft`: decided by the policy the unsaved edits would make, not the saved one. */
  | { readonly state: 'done'; readonly decision: PolicyDecision; readonly draft: boolean }
  | { readonly state: 'error'; readonly message: string };

/** The open workspace's policy, the unsaved edits to it, and the "try a command" box. */
export interface PolicySlice {
  policy: PolicyLoad;
  policyEdits: PolicyEdits;
  policyTarget: SaveTarget;
  policySaving: boolean;
  policySaveError: string | null;
  /** The file changed on disk while there were unsaved edits. */
  policyChangedOnDisk: boolean;
  tryResult: TryResult;
  loadPolicy: () => Promise<void>;
  policyChanged: (snapshot: PolicySnapshot) => void;
  setPolicyTarget: (target: SaveTarget) => void;
  stagePolicyEdit: (edit: PolicyEdit) => void;
  revertPolicy: () => void;
  savePolicy: () => Promise<boolean>;
  /** Decide `command` under the unsaved edits when there are any, else the saved policy. */
  tryCommand: (command: string) => Promise<void>;
}

let trySeq = 0;

export const createPolicySlice =
  (api: BridgeApi): StateCreator<RootState, [], [], PolicySlice> =>
  (set, get) => ({
    policy: { state: 'idle' },
    policyEdits: {},
    policyTarget: 'workspace',
    policySaving: false,
    policySaveError: null,
    policyChangedOnDisk: false,
    tryResult: { state: 'empty' },

    loadPolicy: async () => {
      set({
        policy: { state: 'loading' },
        policyEdits: {},
        policySaveError: null,
        policyChangedOnDisk: false,
      });
      try {
        set({ policy: { state: 'ready', snapshot: await api.policy.get() } });
      } catch (error) {
        set({ policy: { state: 'error', message: errorMessage(error) } });
      }
    },

    policyChanged: (snapshot) => {
      const dirty = editCount(get().policyEdits) > 0 && !get().policySaving;
      set({ policy: { state: 'ready', snapshot }, policyChangedOnDisk: dirty });
    },

    setPolicyTarget: (policyTarget) =>
      set({ policyTarget, policyEdits: {}, policySaveError: null }),
    stagePolicyEdit: (edit) =>
      set((s) => ({ policyEdits: withEdit(s.policyEdits, edit), policySaveError: null })),
    revertPolicy: () => set({ policyEdits: {}, policySaveError: null, policyChangedOnDisk: false }),

    savePolicy: async () => {
      const { policyEdits, policyTarget } = get();
      const edits = Object.values(policyEdits);
      if (edits.length === 0) return true;
      // A rule that would be ignored is refused here, by key, before main refuses it too.
      const invalid = invalidPermissionRules(policyEdits);
      if (invalid.length > 0) {
        set({ policySaveError: `Not saved: ${invalid.join('; ')}` });
        return false;
      }
      set({ policySaving: true, policySaveError: null });
      try {
        const snapshot = await api.policy.save({ target: policyTarget, edits });
        set({
          policy: { state: 'ready', snapshot },
          policyEdits: {},
          policySaving: false,
          policyChangedOnDisk: false,
        });
        return true;
      } catch (error) {
        set({ policySaving: false, policySaveError: errorMessage(error) });
        return false;
      }
    },

    tryCommand: async (command) => {
      const seq = ++trySeq;
      if (command.trim() === '') {
        set({ tryResult: { state: 'empty' } });
        return;
      }
      set({ tryResult: { state: 'checking' } });
      // With unsaved edits, the command is checked against the policy they would make.
      const edits = Object.values(get().policyEdits);
      const draft = edits.length > 0 ? { target: get().policyTarget, edits } : null;
      try {
        const decision = await api.policy.check(draft ? { command, draft } : { command });
        if (seq === trySeq) set({ tryResult: { state: 'done', decision, draft: draft !== null } });
      } catch (error) {
        if (seq === trySeq) set({ tryResult: { state: 'error', message: errorMessage(error) } });
      }
    },
  });
