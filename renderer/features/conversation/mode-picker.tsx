import { useEffect } from 'react';
import type { AgentMode } from '../../../shared/domain/agent';
import { useRoot } from '../../stores/root-store';

/** What each mode lets the agent do, in the picker's words. */
export const MODES: readonly { mode: AgentMode; label: string; hint: string }[] = [
  {
    mode: 'plan',
    label: 'Plan',
    hint: 'reads and plans; no file changes, only allowed commands, read-only',
  },
  {
    mode: 'ask',
    label: 'Ask',
    hint: 'the policy as written: what it does not allow, it asks about',
  },
  {
    mode: 'auto_edit',
    label: 'Auto-edit',
    hint: 'file edits inside the workspace without asking; commands as the policy says',
  },
  {
    mode: 'full_auto',
    label: 'Full auto',
    hint: 'what would ask is allowed; denials, protected files and the sandbox still hold',
  },
];

export function modeLabel(mode: AgentMode): string {
  return MODES.find((m) => m.mode === mode)?.label ?? mode;
}

/** The session's mode, picked in the composer for the next message. */
export function ModePicker() {
  const mode = useRoot((s) => s.agentMode);
  const setMode = useRoot((s) => s.setAgentMode);
  const applyDefault = useRoot((s) => s.applyDefaultMode);
  const configured = useRoot((s) =>
    s.policy.state === 'ready' ? s.policy.snapshot.defaultMode : null,
  );
  useEffect(() => {
    if (configured) applyDefault(configured);
  }, [configured, applyDefault]);
  const current = MODES.find((m) => m.mode === mode);
  return (
    <label className="mode-picker" title={current?.hint}>
      <span>Mode</span>
      <select value={mode} onChange={(e) => setMode(e.target.value as AgentMode)}>
        {MODES.map((m) => (
          <option key={m.mode} value={m.mode} title={m.hint}>
            {m.label}
          </option>
        ))}
      </select>
    </label>
  );
}
