import { useEffect, useRef } from 'react';
import { useRoot } from '../../stores/root-store';

/**
 * Keep the model description current: when the workspace, its policy files, the header's picks or
 * the stored keys change. A new workspace starts with empty header picks (they were for the last).
 */
export function useModelSetupSync(): void {
  const workspacePath = useRoot((s) => s.workspace?.path ?? null);
  const trust = useRoot((s) => s.workspace?.trust ?? null);
  const snapshot = useRoot((s) => (s.policy.state === 'ready' ? s.policy.snapshot : null));
  const choice = useRoot((s) => s.sessionChoice);
  const keys = useRoot((s) => s.credentials);
  const refresh = useRoot((s) => s.refreshModelSetup);
  const setChoice = useRoot((s) => s.setSessionChoice);
  const checkHealth = useRoot((s) => s.checkHealth);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setChoice({ provider: '', model: '', baseUrl: '' });
    void checkHealth();
  }, [workspacePath, setChoice, checkHealth]);

  // One describe for a burst of changes (typing in the header, a save that reloads the policy).
  useEffect(() => {
    const timer = setTimeout(() => void refresh(), 150);
    return () => clearTimeout(timer);
  }, [choice, workspacePath, trust, snapshot, keys, refresh]);
}
