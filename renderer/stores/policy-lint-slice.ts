import type { StateCreator } from 'zustand';
import type { AgentMode } from '../../shared/domain/agent';
import type { PolicyExplain } from '../../shared/domain/policy-explain';
import type { LintFinding, PolicyLintResult } from '../../shared/domain/policy-lint';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import { rebaseFix } from './lint-fix';
import { editCount } from './policy-draft';
import type { RootState } from './root-store';

/** A result main computes on request: kept while a newer one loads, so the screen does not blink. */
export type Insight<T> =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly last: T | null }
  | { readonly state: 'ready'; readonly value: T }
  | { readonly state: 'error'; readonly message: string; readonly last: T | null };

/** Lint findings of the saved policy and the effective policy, for the Policy panel. */
export interface PolicyLintSlice {
  policyLint: Insight<PolicyLintResult>;
  policyExplain: Insight<PolicyExplain>;
  /** Findings whose fix is staged (unsaved); cleared when the findings are read again. */
  lintFixesStaged: readonly string[];
  /** Why the last fix could not be staged, or null. */
  lintFixError: string | null;
  loadPolicyLint: () => Promise<void>;
  loadPolicyExplain: (request?: { sessionId?: string; mode?: AgentMode }) => Promise<void>;
  /** Stage a finding's fix as unsaved edits (never written here: the person saves). */
  applyLintFix: (finding: LintFinding) => boolean;
}

/** The latest value an insight has, loaded or being replaced. */
export function insightValue<T>(insight: Insight<T>): T | null {
  if (insight.state === 'ready') return insight.value;
  if (insight.state === 'loading' || insight.state === 'error') return insight.last;
  return null;
}

let lintSeq = 0;
let explainSeq = 0;

export const createPolicyLintSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], PolicyLintSlice> =>
  (set, get) => ({
    policyLint: { state: 'idle' },
    policyExplain: { state: 'idle' },
    lintFixesStaged: [],
    lintFixError: null,

    loadPolicyLint: async () => {
      const seq = ++lintSeq;
      set((s) => ({ policyLint: { state: 'loading', last: insightValue(s.policyLint) } }));
      try {
        const value = await api.policy.lint();
        // An older request answered late must not replace a newer answer.
        if (seq === lintSeq)
          set({ policyLint: { state: 'ready', value }, lintFixesStaged: [], lintFixError: null });
      } catch (error) {
        if (seq === lintSeq)
          set((s) => ({
            policyLint: {
              state: 'error',
              message: errorMessage(error),
              last: insightValue(s.policyLint),
            },
          }));
      }
    },

    loadPolicyExplain: async (request = {}) => {
      const seq = ++explainSeq;
      set((s) => ({ policyExplain: { state: 'loading', last: insightValue(s.policyExplain) } }));
      try {
        const value = await api.policy.explain(request);
        if (seq === explainSeq) set({ policyExplain: { state: 'ready', value } });
      } catch (error) {
        if (seq === explainSeq)
          set((s) => ({
            policyExplain: {
              state: 'error',
              message: errorMessage(error),
              last: insightValue(s.policyExplain),
            },
          }));
      }
    },

    applyLintFix: (finding) => {
      const fix = finding.fix;
      const { policy, policyEdits, policyTarget } = get();
      if (!fix || policy.state !== 'ready') return false;
      if (fix.target !== policyTarget) {
        if (editCount(policyEdits) > 0) {
          set({
            lintFixError: `This fix changes the ${fix.target} file: save or revert your changes to the ${policyTarget} file first.`,
          });
          return false;
        }
        get().setPolicyTarget(fix.target);
      }
      const edits = rebaseFix(fix, policy.snapshot, get().policyEdits);
      for (const edit of edits) get().stagePolicyEdit(edit);
      set((s) => ({
        lintFixesStaged: [...s.lintFixesStaged.filter((id) => id !== finding.id), finding.id],
        lintFixError: null,
      }));
      return true;
    },
  });
