import { lazy, Suspense } from 'react';
import { messageListPart } from '../../app/deferred-parts';
import { useRoot } from '../../stores/root-store';
import { FIELD_WORDS, setupLine, sourceWords } from '../settings/model-setup-words';
import { useModelSetupSync } from '../settings/use-model-setup-sync';
import { Composer } from './composer';
import type { RunState } from './conversation-reducer';
import { formatUsage } from './format';
import { ModelChooser } from './model-chooser';
import { modeLabel } from './mode-picker';
import './conversation.css';
import { SessionGrantsToggle } from './session-grants';
import { PolicySummary } from '../policy/policy-summary';

const MessageList = messageListPart.Component;
// The form checks what is typed with main's schemas (zod): it loads when first shown, after the
// first screen (issue 18). Until then its place shows what it showed before the setup arrived.
const ConnectModel = lazy(() =>
  import('../settings/connect-model').then((m) => ({ default: m.ConnectModel })),
);

function runLabel(run: RunState): string {
  switch (run.state) {
    case 'idle':
      return 'Ready';
    case 'streaming':
      return 'Agent is answering…';
    case 'awaiting-approval':
      return 'Waiting for your approval';
    case 'running-tool':
      return 'Running a tool…';
    case 'error':
      return 'The last turn failed';
  }
}

/** The conversation with the agent: header, messages, the message box. */
export function ConversationPanel() {
  const workspace = useRoot((s) => s.workspace);
  const hasItems = useRoot((s) => s.conversation.items.length > 0);
  useModelSetupSync();
  return (
    <main className="conversation" aria-label="Conversation">
      {workspace && <ConversationHeader />}
      <Notices />
      {hasItems ? (
        // Until the list's chunk is there (it is preloaded while idle), an empty list in its place.
        <Suspense fallback={<div className="messages" />}>
          <MessageList />
        </Suspense>
      ) : (
        <EmptyState />
      )}
      <Composer />
    </main>
  );
}

function ConversationHeader() {
  const session = useRoot((s) => s.activeSession);
  const run = useRoot((s) => s.conversation.run);
  const sessionUsage = useRoot((s) => s.conversation.sessionUsage);
  const liveUsage = useRoot((s) => s.conversation.liveUsage);
  const lastTurn = useRoot((s) => s.conversation.model);
  const mode = useRoot((s) => s.agentMode);
  return (
    <header className="conversation-header">
      <div className="conversation-title">
        <h2>{session ? session.title : 'New session'}</h2>
        <ActiveModel
          session={session ? { provider: session.provider, model: session.model } : null}
          lastTurn={lastTurn ?? null}
        />
        <span className={`pill mode-pill mode-${mode}`} aria-label="Session mode">
          {modeLabel(mode)}
        </span>
        <span className={`run-state run-${run.state}`} role="status">
          {runLabel(run)}
        </span>
        <SessionGrantsToggle />
        <span className="spacer" />
        <span
          className="muted small"
          aria-label="Session usage"
          title="Tokens and cost of this session"
        >
          {liveUsage ? `This turn: ${formatUsage(liveUsage)} · ` : ''}Session:{' '}
          {formatUsage(sessionUsage)}
        </span>
      </div>
      <ModelChooser />
    </header>
  );
}

/**
 * What this conversation talks to: the session's own provider and model once it has one, else
 * what a new session would use (main resolves it as it would build the session), and from where.
 */
function ActiveModel({
  session,
  lastTurn,
}: {
  session: { provider: string | null; model: string | null } | null;
  lastTurn: { provider: string; model: string } | null;
}) {
  const setup = useRoot((s) => (s.modelSetup.state === 'ready' ? s.modelSetup.setup : null));
  const openSettingsAt = useRoot((s) => s.openSettingsAt);
  const provider = lastTurn?.provider ?? session?.provider ?? null;
  const model = lastTurn?.model ?? session?.model ?? null;
  if (provider && model) {
    return (
      <span className="active-model" aria-label="Active provider and model">
        {provider} · {model}
      </span>
    );
  }
  if (!setup) return null;
  if (!setup.ready) {
    return (
      <button
        type="button"
        className="active-model model-missing link-button"
        aria-label="Active provider and model"
        title={setup.problem?.message}
        onClick={() =>
          openSettingsAt({
            field: setup.problem?.field ?? 'provider',
            provider: setup.problem?.provider ?? null,
          })
        }
      >
        {setup.provider && setup.model ? `${setupLine(setup)}: ` : ''}
        {setup.problem?.field === 'key' ? 'no API key' : 'No model connected'} · set up
      </button>
    );
  }
  return (
    <span
      className="active-model"
      aria-label="Active provider and model"
      title={`Provider ${sourceWords(setup.providerSource)}; model ${sourceWords(setup.modelSource)}${setup.baseUrl ? `; ${setup.baseUrl}` : ''}`}
    >
      {setupLine(setup)}{' '}
      <span className="model-source">
        (
        {sourceWords(
          setup.modelSource === setup.providerSource || setup.modelSource.kind === 'custom-provider'
            ? setup.providerSource
            : setup.modelSource,
        )}
        )
      </span>
    </span>
  );
}

/** A "fix it" link for an error about the model: opens Settings at the field to change. */
function ModelFix() {
  const problem = useRoot((s) =>
    s.modelSetup.state === 'ready' ? s.modelSetup.setup.problem : null,
  );
  const openSettingsAt = useRoot((s) => s.openSettingsAt);
  if (!problem) return null;
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => openSettingsAt({ field: problem.field, provider: problem.provider })}
    >
      Open {FIELD_WORDS[problem.field]}
    </button>
  );
}

function Notices() {
  const warnings = useRoot((s) => s.sessionWarnings);
  const error = useRoot((s) => s.conversationError);
  const dismiss = useRoot((s) => s.dismissConversationError);
  if (warnings.length === 0 && !error) return null;
  return (
    <div className="conversation-notices">
      {warnings.length > 0 && (
        <ul className="session-warnings" aria-label="Session warnings">
          {warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      {error && (
        <div className="banner banner-error" role="alert">
          {error} <ModelFix />
          <button type="button" className="link-button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

function EmptyState() {
  const workspace = useRoot((s) => s.workspace);
  // The live policy knows when a vtcode.toml appears (a save from Settings or the matrix).
  const liveConfig = useRoot((s) =>
    s.policy.state === 'ready'
      ? s.policy.snapshot.files.some((f) => f.layer === 'workspace' && f.exists)
      : null,
  );
  return (
    <div className="messages">
      {workspace ? (
        <div className="empty-state">
          <h1>{workspace.name}</h1>
          <p>
            A new conversation in <code>{workspace.path}</code>.
          </p>
          <ModelReadyOrConnect />
          <ul className="facts">
            <li>
              <PolicySummary hasConfig={liveConfig ?? workspace.hasConfig} />
            </li>
            <li>
              {workspace.isGitRepo
                ? 'Git repository: changes can be reviewed with git.'
                : 'Not a git repository.'}
            </li>
          </ul>
        </div>
      ) : (
        <div className="empty-state">
          <h1>Welcome to VT Code Desktop</h1>
          <p>
            Run a coding agent on your project, see every command it runs, and decide what it may
            do.
          </p>
          <ol className="steps">
            <li>
              <ModelStep />
            </li>
            <li>Open a workspace folder from the sidebar, and choose whether to trust it.</li>
            <li>Review the policy: what the agent may do without asking.</li>
            <li>Describe the task in the message box.</li>
          </ol>
        </div>
      )}
    </div>
  );
}

/** The first step: connected (and to what), or the form that connects a model. */
function ModelStep() {
  const setup = useRoot((s) => (s.modelSetup.state === 'ready' ? s.modelSetup.setup : null));
  if (setup?.ready) {
    return (
      <span className="model-ready">
        <strong>Model connected:</strong> {setupLine(setup)}
        <span className="model-source">({sourceWords(setup.providerSource)})</span>
      </span>
    );
  }
  const waiting = <strong>Connect a model</strong>;
  if (!setup) return waiting;
  return (
    <Suspense fallback={waiting}>
      <ConnectModel headingLevel={3} initial={setup} />
    </Suspense>
  );
}

/** In a workspace: the form when no model can be used yet, else nothing. */
function ModelReadyOrConnect() {
  const setup = useRoot((s) => (s.modelSetup.state === 'ready' ? s.modelSetup.setup : null));
  if (!setup || setup.ready) return null;
  return (
    <>
      {setup.problem && (
        <p className="banner-inline" role="note">
          {setup.problem.message}
        </p>
      )}
      <Suspense fallback={null}>
        <ConnectModel initial={setup} />
      </Suspense>
    </>
  );
}
