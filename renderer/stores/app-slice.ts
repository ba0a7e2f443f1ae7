import type { StateCreator } from 'zustand';
import type { AppInfo, HealthReport } from '../../shared/domain/app';
import type { BridgeApi } from '../../shared/ipc/api';
import type { ConnectionState } from '../bridge/ws-transport';
import type { PolicyViewId } from '../features/policy/policy-views';
import type { RootState } from './root-store';

/** Connection to the host, what the host is, and the machine's health. */
export interface AppSlice {
  connection: ConnectionState;
  connectionError: string | null;
  info: AppInfo | null;
  health: HealthReport | null;
  healthError: string | null;
  /** The inspector's open panel; the top bar's sandbox badge opens the policy's sandbox part. */
  sidePanel: 'policy' | 'terminal';
  setSidePanel: (panel: 'policy' | 'terminal') => void;
  /** The Policy panel's view (Rules, Activity, ...): a link to a rule switches it to Rules. */
  policyView: PolicyViewId;
  setPolicyView: (view: PolicyViewId) => void;
  setConnection: (state: ConnectionState, reason?: string) => void;
  loadAppInfo: () => Promise<void>;
  checkHealth: () => Promise<void>;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const createAppSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], AppSlice> =>
  (set) => ({
    connection: 'connecting',
    connectionError: null,
    info: null,
    health: null,
    healthError: null,
    sidePanel: 'policy',
    setSidePanel: (sidePanel) => set({ sidePanel }),
    policyView: 'rules',
    setPolicyView: (policyView) => set({ policyView }),
    setConnection: (connection, reason) => set({ connection, connectionError: reason ?? null }),
    loadAppInfo: async () => {
      try {
        set({ info: await api.app.getInfo() });
      } catch (error) {
        set({ connectionError: errorMessage(error) });
      }
    },
    checkHealth: async () => {
      try {
        set({ health: await api.health.check(), healthError: null });
      } catch (error) {
        set({ healthError: errorMessage(error) });
      }
    },
  });

/** Selectors: components subscribe to these narrow pieces only. */
export const selectHostKind = (s: RootState) => s.info?.host ?? null;
export const selectHealthStatus = (s: RootState) => s.health?.status ?? null;
