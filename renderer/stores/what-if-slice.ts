import type { StateCreator } from 'zustand';
import type { Decision } from '../../shared/domain/policy';
import type { BacktestChangeView, WhatIfResult } from '../../shared/domain/policy-whatif';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

/** The what-if panel: past decisions replayed under the unsaved edits. */
export type WhatIfState =
  /** No unsaved edits: nothing to show. */
  | { readonly state: 'idle' }
  /** Replaying; `previous` is the answer for the edits before (shown until this one comes). */
  | { readonly state: 'running'; readonly previous: WhatIfResult | null }
  | { readonly state: 'done'; readonly result: WhatIfResult }
  | { readonly state: 'error'; readonly message: string };

export interface WhatIfSlice {
  whatIf: WhatIfState;
  /** Replay the log under the edits staged now (none: back to idle). */
  runWhatIf: () => Promise<void>;
}

let seq = 0;

export const createWhatIfSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], WhatIfSlice> =>
  (set, get) => ({
    whatIf: { state: 'idle' },

    runWhatIf: async () => {
      const mine = ++seq;
      const edits = Object.values(get().policyEdits);
      if (edits.length === 0) {
        set({ whatIf: { state: 'idle' } });
        return;
      }
      const now = get().whatIf;
      const previous =
        now.state === 'done' ? now.result : now.state === 'running' ? now.previous : null;
      set({ whatIf: { state: 'running', previous } });
      try {
        const result = await api.policy.whatIf({ target: get().policyTarget, edits });
        if (mine === seq) set({ whatIf: { state: 'done', result } });
      } catch (error) {
        // A newer request superseded this one in main; its answer is the one to show.
        if (mine === seq) set({ whatIf: { state: 'error', message: errorMessage(error) } });
      }
    },
  });

/** One group of the panel: the changes of one transition, newest first. */
export interface TransitionGroup {
  readonly before: Decision;
  readonly after: Decision;
  /** Every change of this transition, listed or not. */
  readonly count: number;
  readonly rows: readonly BacktestChangeView[];
}

const SEVERITY: Record<Decision, number> = { allow: 0, prompt: 1, deny: 2 };

/**
 * The rows grouped by transition; loosenings (prompt -> allow, deny -> ...) first, as those are
 * what a person most needs to see before saving, then by count.
 */
export function transitionGroups(result: WhatIfResult): TransitionGroup[] {
  return result.transitions
    .map((t) => ({
      ...t,
      rows: result.rows.filter((r) => r.before === t.before && r.after === t.after),
    }))
    .sort((a, b) => {
      const looser = (g: TransitionGroup) => SEVERITY[g.after] < SEVERITY[g.before];
      return Number(looser(b)) - Number(looser(a)) || b.count - a.count;
    });
}
