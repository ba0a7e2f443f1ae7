import { createContext, useContext } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { BridgeApi } from '../../shared/ipc/api';
import { createActivitySlice, type ActivitySlice } from './activity-slice';
import { createAppSlice, type AppSlice } from './app-slice';
import { createConversationSlice, type ConversationSlice } from './conversation-slice';
import { createMcpSlice, type McpSlice } from './mcp-slice';
import { createModelSetupSlice, type ModelSetupSlice } from './model-setup-slice';
import { createNetworkSlice, type NetworkSlice } from './network-slice';
import { createPolicySlice, type PolicySlice } from './policy-slice';
import { createPolicyImportSlice, type PolicyImportSlice } from './policy-import-slice';
import { createPolicyLintSlice, type PolicyLintSlice } from './policy-lint-slice';
import { createSessionsSlice, type SessionsSlice } from './sessions-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createTerminalSlice, type TerminalSlice } from './terminal-slice';
import { createTokensSlice, type TokensSlice } from './tokens-slice';
import { createWhatIfSlice, type WhatIfSlice } from './what-if-slice';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspace-slice';

export type RootState = AppSlice &
  WorkspaceSlice &
  TerminalSlice &
  SettingsSlice &
  TokensSlice &
  McpSlice &
  PolicySlice &
  PolicyImportSlice &
  PolicyLintSlice &
  WhatIfSlice &
  SessionsSlice &
  ConversationSlice &
  ModelSetupSlice &
  NetworkSlice &
  ActivitySlice;
export type RootStore = StoreApi<RootState>;

/** One store made of one slice per domain, all talking to the host through `api`. */
export function createRootStore(api: BridgeApi): RootStore {
  return createStore<RootState>()((...a) => ({
    ...createAppSlice(api)(...a),
    ...createWorkspaceSlice(api)(...a),
    ...createTerminalSlice(api)(...a),
    ...createSettingsSlice(api)(...a),
    ...createTokensSlice(api)(...a),
    ...createMcpSlice(api)(...a),
    ...createPolicySlice(api)(...a),
    ...createPolicyImportSlice(api)(...a),
    ...createPolicyLintSlice(api)(...a),
    ...createWhatIfSlice(api)(...a),
    ...createSessionsSlice(api)(...a),
    ...createConversationSlice(api)(...a),
    ...createModelSetupSlice(api)(...a),
    ...createNetworkSlice(api)(...a),
    ...createActivitySlice(api)(...a),
  }));
}

export const StoreContext = createContext<RootStore | null>(null);

/** Select a narrow piece of state; re-renders only when that piece changes. */
export function useRoot<T>(selector: (state: RootState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useRoot needs a StoreContext provider');
  return useStore(store, selector);
}
