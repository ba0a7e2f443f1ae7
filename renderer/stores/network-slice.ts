import type { StateCreator } from 'zustand';
import type { ApprovalAnswer } from '../../shared/domain/agent';
import type {
  HostAlwaysPreview,
  HostAlwaysTarget,
  HostCheckResult,
  RunnerHostAsk,
} from '../../shared/domain/network';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

export type TryHostResult =
  | { readonly state: 'empty' }
  | { readonly state: 'checking' }
  | { readonly state: 'done'; readonly result: HostCheckResult }
  | { readonly state: 'error'; readonly message: string };

/**
 * The network commands may reach: host questions of this window's terminal runs (agent runs ask
 * through the session's approvals), "Try a host", and the "Always" preview.
 */
export interface NetworkSlice {
  /** Terminal host questions waiting for an answer, oldest first. */
  hostAsks: readonly RunnerHostAsk[];
  answerHostAsk: (answer: ApprovalAnswer) => Promise<boolean>;
  hostAskError: string | null;
  tryHostResult: TryHostResult;
  /** Check `host:port` (443 when none) against the saved rules. */
  tryHost: (host: string, port: number | null) => Promise<void>;
  /** The exact change "Always" would make to the file `target`. */
  previewHostAlways: (
    host: string,
    port: number,
    target: HostAlwaysTarget,
  ) => Promise<HostAlwaysPreview>;
  /** Listen for terminal host questions (once, at startup); returns the unsubscribe. */
  subscribeNetwork: () => () => void;
}

let trySeq = 0;

export const createNetworkSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], NetworkSlice> =>
  (set) => ({
    hostAsks: [],
    hostAskError: null,
    tryHostResult: { state: 'empty' },

    answerHostAsk: async (answer) => {
      try {
        await api.runner.answerHost(answer);
        set((s) => ({
          hostAsks: s.hostAsks.filter((a) => a.approvalId !== answer.approvalId),
          hostAskError: null,
        }));
        return true;
      } catch (error) {
        // Answered elsewhere or withdrawn meanwhile: its resolved event takes it off the list.
        set({ hostAskError: errorMessage(error) });
        return false;
      }
    },

    tryHost: async (host, port) => {
      const seq = ++trySeq;
      if (host.trim() === '') {
        set({ tryHostResult: { state: 'empty' } });
        return;
      }
      set({ tryHostResult: { state: 'checking' } });
      try {
        const result = await api.policy.checkHost({
          host: host.trim(),
          ...(port === null ? {} : { port }),
        });
        if (seq === trySeq) set({ tryHostResult: { state: 'done', result } });
      } catch (error) {
        if (seq === trySeq)
          set({ tryHostResult: { state: 'error', message: errorMessage(error) } });
      }
    },

    previewHostAlways: (host, port, target) => api.policy.previewHostAlways({ host, port, target }),

    subscribeNetwork: () => {
      const stops = [
        api.runner.onHostAsk((ask) => set((s) => ({ hostAsks: [...s.hostAsks, ask] }))),
        api.runner.onHostResolved(({ approvalId }) =>
          set((s) => ({ hostAsks: s.hostAsks.filter((a) => a.approvalId !== approvalId) })),
        ),
      ];
      return () => {
        for (const stop of stops) stop();
      };
    },
  });
