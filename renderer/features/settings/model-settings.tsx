import { useEffect, useState } from 'react';
import {
  API_FORMATS,
  customProviderInputSchema,
  modelIdSchema,
  type AgentFileSettings,
  type AgentSettingsView,
  type ApiFormat,
  type CustomProviderInput,
} from '../../../shared/domain/agent-settings';
import type { PolicyEdit } from '../../../shared/domain/policy-edit';
import { useRoot } from '../../stores/root-store';
import { BUILTIN_PROVIDERS } from '../conversation/model-chooser';
import { setupLine, sourceWords as setupSourceWords } from './model-setup-words';

type Target = 'workspace' | 'user';

/** One custom provider row as typed: every field a string, checked with the shared schema. */
interface ProviderDraft {
  readonly id: number;
  name: string;
  baseUrl: string;
  apiFormat: ApiFormat;
  model: string;
  apiKeyEnv: string;
}

interface Draft {
  provider: string;
  model: string;
  providers: ProviderDraft[];
}

const FORMAT_WORDS: Record<ApiFormat, string> = {
  auto: 'Auto (from the URL)',
  'openai-chat': 'OpenAI chat completions',
  'openai-responses': 'OpenAI responses',
  'anthropic-messages': 'Anthropic messages',
};

let nextId = 1;

function draftOf(file: AgentFileSettings): Draft {
  return {
    provider: file.provider ?? '',
    model: file.defaultModel ?? '',
    providers: file.customProviders.map((p) => ({
      id: nextId++,
      name: p.name,
      baseUrl: p.baseUrl ?? '',
      apiFormat: p.apiFormat,
      model: p.model ?? '',
      apiKeyEnv: p.apiKeyEnv ?? '',
    })),
  };
}

function toInput(p: ProviderDraft) {
  return customProviderInputSchema.safeParse({
    name: p.name.trim(),
    baseUrl: p.baseUrl.trim(),
    apiFormat: p.apiFormat,
    model: p.model.trim() === '' ? null : p.model.trim(),
    apiKeyEnv: p.apiKeyEnv.trim() === '' ? null : p.apiKeyEnv.trim(),
  });
}

/** Problems of one row by field, as the person types (empty when it would save). */
function rowProblems(p: ProviderDraft, all: readonly ProviderDraft[]): Record<string, string> {
  const result = toInput(p);
  const problems: Record<string, string> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? 'name');
      problems[field] ??= issue.message;
    }
  }
  if (p.name.trim() !== '' && all.filter((o) => o.name.trim() === p.name.trim()).length > 1) {
    problems.name ??= 'another custom provider has this name';
  }
  return problems;
}

/** The edits that turn `file` into `draft`; null when a row or the model is not valid yet. */
function editsFor(file: AgentFileSettings, draft: Draft): PolicyEdit[] | null {
  const edits: PolicyEdit[] = [];
  const provider = draft.provider.trim() === '' ? null : draft.provider.trim();
  if (provider !== file.provider) edits.push({ kind: 'agent-provider', value: provider });
  const model = draft.model.trim() === '' ? null : draft.model.trim();
  if (model !== null && !modelIdSchema.safeParse(model).success) return null;
  if (model !== file.defaultModel) edits.push({ kind: 'agent-default-model', value: model });
  const inputs: CustomProviderInput[] = [];
  for (const p of draft.providers) {
    const result = toInput(p);
    if (!result.success || Object.keys(rowProblems(p, draft.providers)).length > 0) return null;
    inputs.push(result.data);
  }
  const sameProviders =
    file.customProviders.length === inputs.length &&
    file.customProviders.every((p, i) => {
      const q = inputs[i];
      return (
        q !== undefined &&
        p.name === q.name &&
        p.baseUrl === q.baseUrl &&
        p.apiFormat === q.apiFormat &&
        p.model === q.model &&
        p.apiKeyEnv === q.apiKeyEnv
      );
    });
  if (!sameProviders) edits.push({ kind: 'custom-providers', value: inputs });
  return edits;
}

function CustomProviderRow({
  row,
  problems: allProblems,
  showAll,
  onChange,
  onRemove,
}: {
  row: ProviderDraft;
  problems: Record<string, string>;
  /** After a Save was tried: every problem shows, typed into or not. */
  showAll: boolean;
  onChange: (patch: Partial<ProviderDraft>) => void;
  onRemove: () => void;
}) {
  // A field's problem shows once it was typed into and left, or edited since: never on a new row.
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const problems = Object.fromEntries(
    Object.entries(allProblems).filter(([key]) => showAll || touched[key]),
  );
  const label = row.name.trim() || 'new custom provider';
  const field = (
    key: 'name' | 'baseUrl' | 'model' | 'apiKeyEnv',
    title: string,
    placeholder: string,
  ) => (
    <label className="field">
      <span>{title}</span>
      <input
        value={row[key]}
        placeholder={placeholder}
        spellCheck={false}
        data-settings-field={key === 'baseUrl' ? 'base-url' : undefined}
        aria-invalid={problems[key] ? true : undefined}
        onChange={(e) => {
          if (e.target.value !== '') setTouched((t) => ({ ...t, [key]: true }));
          onChange({ [key]: e.target.value });
        }}
        onBlur={() => setTouched((t) => ({ ...t, [key]: true }))}
      />
      {problems[key] ? (
        <span className="form-error small" role="alert">
          {problems[key]}
        </span>
      ) : null}
    </label>
  );
  return (
    <li className="provider custom-provider" role="group" aria-label={`Custom provider ${label}`}>
      <div className="custom-provider-grid">
        {field('name', 'Name', 'local')}
        {field('baseUrl', 'Base URL', 'http://127.0.0.1:8080/v1')}
        <label className="field">
          <span>API format</span>
          <select
            value={row.apiFormat}
            onChange={(e) => onChange({ apiFormat: e.target.value as ApiFormat })}
          >
            {API_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_WORDS[f]}
              </option>
            ))}
          </select>
        </label>
        {field('model', 'Model', 'optional')}
        {field('apiKeyEnv', 'API key variable', 'optional, e.g. LOCAL_API_KEY')}
      </div>
      <div className="provider-actions">
        <button type="button" aria-label={`Remove the custom provider ${label}`} onClick={onRemove}>
          Remove
        </button>
      </div>
    </li>
  );
}

/** The form for one file; remounted (fresh draft) when the file or its contents change. */
function ModelForm({
  view,
  target,
  onTarget,
  savedTo,
  onSaved,
}: {
  view: AgentSettingsView;
  target: Target;
  onTarget: (t: Target) => void;
  /** The file last saved from here (this form is remounted with the saved file's contents). */
  savedTo: string | null;
  onSaved: (path: string) => void;
}) {
  const file = view.files[target];
  const save = useRoot((s) => s.saveAgentSettings);
  const [draft, setDraft] = useState<Draft>(() => draftOf(file));
  const [status, setStatus] = useState<
    { kind: 'idle' } | { kind: 'saving' } | { kind: 'error'; message: string }
  >({ kind: 'idle' });
  const [triedSave, setTriedSave] = useState(false);
  const edits = editsFor(file, draft);
  const dirty = edits === null || edits.length > 0;
  const customNames = [
    ...new Set(
      [...view.files.user.customProviders, ...draft.providers]
        .map((p) => p.name.trim())
        .filter((n) => n !== ''),
    ),
  ];
  const modelProblem =
    draft.model.trim() === ''
      ? null
      : (modelIdSchema.safeParse(draft.model).error?.issues[0]?.message ?? null);
  const patchRow = (id: number, patch: Partial<ProviderDraft>) =>
    setDraft((d) => ({
      ...d,
      providers: d.providers.map((p) => (p.id === id ? { ...p, ...patch } : p)),
    }));

  const onSave = async () => {
    setTriedSave(true);
    if (!edits || edits.length === 0) return;
    setStatus({ kind: 'saving' });
    const problem = await save(target, edits);
    // On success the view reloads and this form remounts with the saved file.
    if (problem) setStatus({ kind: 'error', message: problem });
    else {
      setStatus({ kind: 'idle' });
      onSaved(file.path);
    }
  };

  return (
    <>
      <fieldset className="theme-picker">
        <legend>Save in</legend>
        {(['workspace', 'user'] as const).map((t) => (
          <label key={t} className="check" title={view.files[t].path}>
            <input
              type="radio"
              name="model-target"
              checked={target === t}
              disabled={dirty && target !== t}
              onChange={() => onTarget(t)}
            />
            {t === 'workspace' ? 'This workspace' : 'Your user settings'}
          </label>
        ))}
        <span className="muted small">{file.path}</span>
      </fieldset>
      <div className="model-defaults">
        <label className="field">
          <span>Provider</span>
          <select
            data-settings-field="provider"
            value={draft.provider}
            onChange={(e) => setDraft((d) => ({ ...d, provider: e.target.value }))}
          >
            <option value="">Not set here</option>
            {BUILTIN_PROVIDERS.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
            {customNames.map((name) => (
              <option key={`custom-${name}`} value={name}>
                {name} (custom)
              </option>
            ))}
            {draft.provider !== '' &&
            !BUILTIN_PROVIDERS.some((id) => id === draft.provider) &&
            !customNames.includes(draft.provider) ? (
              <option value={draft.provider}>{draft.provider} (unknown)</option>
            ) : null}
          </select>
        </label>
        <label className="field">
          <span>Default model</span>
          <input
            data-settings-field="model"
            value={draft.model}
            placeholder="Not set here"
            spellCheck={false}
            aria-invalid={modelProblem ? true : undefined}
            onChange={(e) => setDraft((d) => ({ ...d, model: e.target.value }))}
          />
          {modelProblem ? (
            <span className="form-error small" role="alert">
              {modelProblem}
            </span>
          ) : null}
        </label>
      </div>
      <h4>Custom providers</h4>
      <p className="muted small">
        OpenAI- or Anthropic-compatible endpoints (<code>[[custom_providers]]</code>).{' '}
        {target === 'user'
          ? 'Their keys are entered under API keys once saved.'
          : 'Endpoints saved in this workspace are sent no API key (a cloned repository could point one anywhere); to use a key with an endpoint, save it in your user settings.'}
      </p>
      {draft.providers.length > 0 ? (
        <ul className="providers" aria-label="Custom providers">
          {draft.providers.map((row) => (
            <CustomProviderRow
              key={row.id}
              row={row}
              problems={rowProblems(row, draft.providers)}
              showAll={triedSave}
              onChange={(patch) => patchRow(row.id, patch)}
              onRemove={() =>
                setDraft((d) => ({ ...d, providers: d.providers.filter((p) => p.id !== row.id) }))
              }
            />
          ))}
        </ul>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          onClick={() =>
            setDraft((d) => ({
              ...d,
              providers: [
                ...d.providers,
                {
                  id: nextId++,
                  name: '',
                  baseUrl: '',
                  apiFormat: 'auto',
                  model: '',
                  apiKeyEnv: '',
                },
              ],
            }))
          }
        >
          Add a custom provider
        </button>
      </div>
      {file.warnings.length > 0 ? (
        <ul className="form-error small" aria-label="Problems in the file">
          {file.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {status.kind === 'error' ? (
        <p className="form-error" role="alert">
          {status.message}
        </p>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={(edits !== null && edits.length === 0) || status.kind === 'saving'}
          onClick={() => void onSave()}
        >
          {status.kind === 'saving' ? 'Saving…' : 'Save model settings'}
        </button>
        <button
          type="button"
          disabled={!dirty}
          onClick={() => {
            setDraft(draftOf(file));
            setStatus({ kind: 'idle' });
          }}
        >
          Revert
        </button>
        <span className="muted small" role="status">
          {savedTo === file.path && !dirty
            ? `Saved to ${file.path}`
            : dirty
              ? edits === null
                ? triedSave
                  ? 'Fix the marked fields to save.'
                  : 'Unsaved changes'
                : 'Unsaved changes'
              : ''}
        </span>
      </div>
    </>
  );
}

/** Settings › Model: `[agent]` provider and model, and custom endpoints, per vtcode.toml. */
export function ModelSettings() {
  const workspace = useRoot((s) => s.workspace);
  const agentSettings = useRoot((s) => s.agentSettings);
  const load = useRoot((s) => s.loadAgentSettings);
  const snapshot = useRoot((s) => (s.policy.state === 'ready' ? s.policy.snapshot : null));
  // The user's own file unless they choose the workspace's (usually committed with the project).
  const [target, setTarget] = useState<Target>('user');
  const setup = useRoot((s) => (s.modelSetup.state === 'ready' ? s.modelSetup.setup : null));
  const [savedTo, setSavedTo] = useState<string | null>(null);

  // Again whenever the policy files change (a save here, or an editor elsewhere).
  useEffect(() => {
    if (workspace) void load();
  }, [workspace, snapshot, load]);

  let body;
  if (!workspace) {
    body = <p className="muted small">Open a workspace to set its model.</p>;
  } else if (agentSettings.state === 'error') {
    body = (
      <p className="form-error" role="alert">
        {agentSettings.message}
      </p>
    );
  } else if (agentSettings.state !== 'loaded') {
    body = <p className="muted small">Reading vtcode.toml…</p>;
  } else {
    const view = agentSettings.view;
    const file = view.files[target];
    body = (
      <>
        <p className="small in-force" aria-label="Model in force">
          {setup === null ? (
            'Checking what new sessions will use…'
          ) : setup.ready ? (
            <>
              New sessions use <strong>{setupLine(setup)}</strong> (provider{' '}
              {setupSourceWords(setup.providerSource)}, model {setupSourceWords(setup.modelSource)})
              {setup.baseUrl ? ` at ${setup.baseUrl}` : ''}, unless the conversation header picks
              others.
            </>
          ) : (
            <>
              New sessions cannot start yet: {setup.problem?.message ?? 'no model is connected.'}
              {setup.providerSource.kind !== 'default' && setup.provider
                ? ` (provider ${setup.provider}, ${setupSourceWords(setup.providerSource)})`
                : ''}
            </>
          )}
        </p>
        <ModelForm
          key={`${target}:${JSON.stringify(file)}`}
          view={view}
          target={target}
          onTarget={setTarget}
          savedTo={savedTo}
          onSaved={setSavedTo}
        />
      </>
    );
  }
  return (
    <section className="model-settings" aria-labelledby="model-settings-title">
      <h3 id="model-settings-title">Model</h3>
      {body}
    </section>
  );
}
