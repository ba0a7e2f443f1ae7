import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ModelSetup, ModelTestResult } from '../../../shared/domain/model-setup';
import { baseUrlSchema } from '../../../shared/domain/agent-settings';
import { customProviderNameSchema } from '../../../shared/domain/credentials';
import { useRoot } from '../../stores/root-store';
import './connect-model.css';

/*
 * The form checks what is typed with the schemas main saves with (zod), so it is loaded on its own
 * (React.lazy), not with the first screen; the words and the sync hook beside it are not (issue 18).
 */

/** What the first-run form offers: the providers' APIs, a local Ollama, or any endpoint. */
const CHOICES = [
  { value: 'openai', label: 'OpenAI', example: 'gpt-5', needsKey: true },
  { value: 'anthropic', label: 'Anthropic', example: 'claude-sonnet-4-5', needsKey: true },
  { value: 'gemini', label: 'Google Gemini', example: 'gemini-2.5-pro', needsKey: true },
  { value: 'openrouter', label: 'OpenRouter', example: 'openai/gpt-5', needsKey: true },
  { value: 'deepseek', label: 'DeepSeek', example: 'deepseek-chat', needsKey: true },
  { value: 'xai', label: 'xAI', example: 'grok-4', needsKey: true },
  { value: 'moonshot', label: 'Moonshot AI', example: 'kimi-k2', needsKey: true },
  { value: 'ollama', label: 'Ollama on this machine', example: 'qwen3-coder', needsKey: false },
  {
    value: 'custom-openai',
    label: 'Another endpoint (OpenAI-compatible)',
    example: 'the model id the server expects',
    needsKey: false,
  },
  {
    value: 'custom-anthropic',
    label: 'Another endpoint (Anthropic-compatible)',
    example: 'the model id the server expects',
    needsKey: false,
  },
] as const;
type Choice = (typeof CHOICES)[number]['value'];

const isCustom = (c: Choice) => c === 'custom-openai' || c === 'custom-anthropic';

/** The form's first values: what is already set up, when it is one of the form's choices. */
function startingPoint(setup: ModelSetup | null): {
  choice: Choice;
  name: string;
  baseUrl: string;
  model: string;
} {
  const model = setup?.model ?? '';
  const id = setup?.provider ?? null;
  if (id?.startsWith('custom:')) {
    return { choice: 'custom-openai', name: id.slice(7), baseUrl: setup?.baseUrl ?? '', model };
  }
  const builtin = CHOICES.find((c) => c.value === id);
  return {
    choice: builtin?.value ?? 'openai',
    name: 'local',
    baseUrl: '',
    model: builtin ? model : '',
  };
}

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; what: 'testing' | 'saving' }
  | { kind: 'tested'; result: ModelTestResult }
  | { kind: 'error'; message: string };

/**
 * Connect a model: provider, model, key, Test, Save. Saved to the user's own vtcode.toml (never
 * the workspace's, which is usually committed) and the key to the OS keychain, bound to the URL.
 */
export function ConnectModel({
  headingLevel = 2,
  initial = null,
}: {
  headingLevel?: 2 | 3;
  /** What is set up so far (a provider without its key, say): the form starts from it. */
  initial?: ModelSetup | null;
}) {
  const testModel = useRoot((s) => s.testModel);
  const connectModel = useRoot((s) => s.connectModel);
  const info = useRoot((s) => s.info);
  const credentials = useRoot((s) => s.credentials);
  const loadCredentials = useRoot((s) => s.loadCredentials);
  const start = startingPoint(initial);
  const [choice, setChoice] = useState<Choice>(start.choice);
  const [name, setName] = useState(start.name);
  const [baseUrl, setBaseUrl] = useState(start.baseUrl);
  const [model, setModel] = useState(start.model);
  const [tried, setTried] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const keyInput = useRef<HTMLInputElement>(null);
  const providerSelect = useRef<HTMLSelectElement>(null);
  const focusAsked = useRoot((s) => s.connectFocus);
  useEffect(() => {
    if (focusAsked === 0) return;
    providerSelect.current?.scrollIntoView({ block: 'center' });
    providerSelect.current?.focus();
  }, [focusAsked]);
  const ids = { title: useId(), models: useId(), status: useId() };
  const spec = CHOICES.find((c) => c.value === choice) ?? CHOICES[0];
  const custom = isCustom(choice);

  useEffect(() => {
    void loadCredentials();
  }, [loadCredentials]);

  const providerId = custom ? `custom:${name.trim().toLowerCase()}` : choice;
  const storedKey =
    credentials.state === 'loaded'
      ? credentials.list.providers.find((p) => p.provider === providerId)
      : undefined;
  const keyThere = storedKey !== undefined && storedKey.status !== 'missing';

  // Shown once the person tried to test or save, or typed into the field: never before.
  const problems: Partial<Record<'name' | 'baseUrl' | 'model', string>> = {};
  // The same checks main makes on save (shared/domain), worded for the field.
  if (custom) {
    const named = customProviderNameSchema.safeParse(name.trim().toLowerCase());
    if (!named.success) problems.name = `Name the endpoint: ${named.error.issues[0]?.message}.`;
    const url = baseUrlSchema.safeParse(baseUrl);
    if (!url.success) problems.baseUrl = `Base URL: ${url.error.issues[0]?.message}.`;
  }
  if (model.trim() === '') problems.model = 'Choose a model.';
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const shown = (field: 'name' | 'baseUrl' | 'model') =>
    (tried || touched[field]) && problems[field] ? problems[field] : null;

  const request = () => {
    const key = keyInput.current?.value ?? '';
    return {
      provider: custom ? 'custom' : choice,
      ...(custom
        ? {
            customName: name.trim().toLowerCase(),
            baseUrl: baseUrl.trim(),
            apiFormat:
              choice === 'custom-anthropic'
                ? ('anthropic-messages' as const)
                : ('openai-chat' as const),
          }
        : {}),
      ...(model.trim() ? { model: model.trim() } : {}),
      ...(key.trim() ? { key } : {}),
    };
  };

  const onTest = async () => {
    setTried(true);
    if (problems.name || problems.baseUrl) return;
    setStatus({ kind: 'busy', what: 'testing' });
    const result = await testModel(request());
    setStatus(
      typeof result === 'string' ? { kind: 'error', message: result } : { kind: 'tested', result },
    );
  };

  const onSave = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    setStatus({ kind: 'busy', what: 'saving' });
    const { model: chosen, ...rest } = request();
    const problem = await connectModel({ ...rest, model: chosen ?? '' });
    if (problem) {
      setStatus({ kind: 'error', message: problem });
      return;
    }
    // The key went to main; nothing of it stays here.
    if (keyInput.current) keyInput.current.value = '';
    setStatus({ kind: 'idle' });
  };

  const models = status.kind === 'tested' ? status.result.models : [];
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const userFile = info ? `${info.configDir}/vtcode.toml` : 'your user vtcode.toml';
  return (
    <section className="connect-model" aria-labelledby={ids.title}>
      <Heading id={ids.title}>Connect a model</Heading>
      <p className="connect-where small">
        Saved in your own settings (<code title={userFile}>vtcode.toml</code>), not in the project.
        The key goes to the OS keychain, sent only to this provider.
      </p>
      <form onSubmit={(e) => void onSave(e)} noValidate>
        <div className="connect-grid">
          <label className="field">
            <span>Provider</span>
            <select
              ref={providerSelect}
              value={choice}
              onChange={(e) => {
                setChoice(e.target.value as Choice);
                setStatus({ kind: 'idle' });
              }}
            >
              {CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          {custom && (
            <>
              <label className="field">
                <span>Endpoint name</span>
                <input
                  value={name}
                  spellCheck={false}
                  aria-invalid={shown('name') ? true : undefined}
                  onChange={(e) => setName(e.target.value)}
                  onBlur={() => setTouched((t) => ({ ...t, name: true }))}
                />
                {shown('name') && (
                  <span className="form-error small" role="alert">
                    {shown('name')}
                  </span>
                )}
              </label>
              <label className="field">
                <span>Base URL</span>
                <input
                  type="url"
                  value={baseUrl}
                  placeholder="http://127.0.0.1:8080/v1"
                  spellCheck={false}
                  aria-invalid={shown('baseUrl') ? true : undefined}
                  onChange={(e) => setBaseUrl(e.target.value)}
                  onBlur={() => setTouched((t) => ({ ...t, baseUrl: true }))}
                />
                {shown('baseUrl') && (
                  <span className="form-error small" role="alert">
                    {shown('baseUrl')}
                  </span>
                )}
              </label>
            </>
          )}
          <label className="field">
            <span>Model</span>
            <input
              value={model}
              list={ids.models}
              placeholder={`e.g. ${spec.example}`}
              spellCheck={false}
              aria-invalid={shown('model') ? true : undefined}
              onChange={(e) => setModel(e.target.value)}
              onBlur={() => setTouched((t) => ({ ...t, model: true }))}
            />
            <datalist id={ids.models}>
              {models.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
            {shown('model') && (
              <span className="form-error small" role="alert">
                {shown('model')}
              </span>
            )}
          </label>
          {choice !== 'ollama' && (
            <label className="field">
              <span>API key{spec.needsKey ? '' : ' (if the endpoint needs one)'}</span>
              <input
                ref={keyInput}
                type="password"
                autoComplete="off"
                spellCheck={false}
                placeholder={
                  keyThere
                    ? `Stored (${storedKey?.hint ?? 'set'}); paste to replace`
                    : 'Paste an API key'
                }
              />
            </label>
          )}
        </div>
        <div className="button-row">
          <button type="button" disabled={status.kind === 'busy'} onClick={() => void onTest()}>
            {status.kind === 'busy' && status.what === 'testing' ? 'Testing…' : 'Test'}
          </button>
          <button type="submit" className="primary" disabled={status.kind === 'busy'}>
            {status.kind === 'busy' && status.what === 'saving' ? 'Saving…' : 'Save and use'}
          </button>
          <span id={ids.status} className="connect-status small" role="status">
            {status.kind === 'tested' ? (
              <TestLine result={status.result} onPick={setModel} />
            ) : status.kind === 'error' ? (
              <span className="form-error">{status.message}</span>
            ) : null}
          </span>
        </div>
      </form>
    </section>
  );
}

function TestLine({
  result,
  onPick,
}: {
  result: ModelTestResult;
  onPick: (model: string) => void;
}) {
  const ok = result.outcome === 'ok';
  return (
    <span className={ok ? 'note-ok' : 'form-error'}>
      {ok ? 'Test passed: ' : 'Test failed: '}
      {result.message}
      {result.problem?.field === 'model' && result.models.length > 0 && (
        <>
          {' '}
          <button
            type="button"
            className="link-button"
            onClick={() => onPick(result.models[0] ?? '')}
          >
            Use {result.models[0]}
          </button>
        </>
      )}
    </span>
  );
}
