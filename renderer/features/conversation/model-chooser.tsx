import { useRoot } from '../../stores/root-store';

/** VT Code's builtin provider ids; `custom:<name>` names a `[[custom_providers]]` entry. */
export const BUILTIN_PROVIDERS = [
  'openai',
  'anthropic',
  'gemini',
  'openrouter',
  'deepseek',
  'xai',
  'moonshot',
  'ollama',
] as const;

/** Provider, model and base URL for the next new session (empty: vtcode.toml decides). */
export function ModelChooser() {
  const choice = useRoot((s) => s.sessionChoice);
  const setChoice = useRoot((s) => s.setSessionChoice);
  return (
    <fieldset className="model-chooser">
      <legend className="visually-hidden">Provider and model for new sessions</legend>
      <label className="field inline">
        <span>Provider</span>
        <input
          list="provider-ids"
          value={choice.provider}
          placeholder="default"
          spellCheck={false}
          onChange={(e) => setChoice({ provider: e.target.value })}
        />
        <datalist id="provider-ids">
          {BUILTIN_PROVIDERS.map((id) => (
            <option key={id} value={id} />
          ))}
          <option value="custom:">custom:&lt;name&gt;</option>
        </datalist>
      </label>
      <label className="field inline">
        <span>Model</span>
        <input
          value={choice.model}
          placeholder="default model"
          spellCheck={false}
          onChange={(e) => setChoice({ model: e.target.value })}
        />
      </label>
      <label className="field inline">
        <span>Base URL</span>
        <input
          type="url"
          value={choice.baseUrl}
          placeholder="optional"
          spellCheck={false}
          onChange={(e) => setChoice({ baseUrl: e.target.value })}
        />
      </label>
    </fieldset>
  );
}
