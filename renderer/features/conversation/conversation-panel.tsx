import { useRoot } from '../../stores/root-store';
import { Composer } from './composer';
import type { RunState } from './conversation-reducer';
import { formatUsage } from './format';
import { MessageList } from './message-list';
import { ModelChooser } from './model-chooser';
import { modeLabel } from './mode-picker';
import './conversation.css';
import { PolicySummary } from '../policy/policy-summary';

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
  return (
    <main className="conversation" aria-label="Conversation">
      {workspace && <ConversationHeader />}
      <Notices />
      {hasItems ? <MessageList /> : <EmptyState />}
      <Composer />
    </main>
  );
}

function ConversationHeader() {
  const session = useRoot((s) => s.activeSession);
  const choice = useRoot((s) => s.sessionChoice);
  const run = useRoot((s) => s.conversation.run);
  const sessionUsage = useRoot((s) => s.conversation.sessionUsage);
  const liveUsage = useRoot((s) => s.conversation.liveUsage);
  const lastTurn = useRoot((s) => s.conversation.model);
  const mode = useRoot((s) => s.agentMode);
  // What the last turn used; before any turn, what the session or the chooser names.
  const provider =
    lastTurn?.provider ?? (session ? session.provider : choice.provider.trim() || null);
  const model = lastTurn?.model ?? (session ? session.model : choice.model.trim() || null);
  return (
    <header className="conversation-header">
      <div className="conversation-title">
        <h2>{session ? session.title : 'New session'}</h2>
        <span className="active-model" aria-label="Active provider and model">
          {provider ?? 'provider from vtcode.toml'} / {model ?? 'default model'}
        </span>
        <span className={`pill mode-pill mode-${mode}`} aria-label="Session mode">
          {modeLabel(mode)}
        </span>
        <span className={`run-state run-${run.state}`} role="status">
          {runLabel(run)}
        </span>
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
          {error}
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
            <li>Open a workspace folder from the sidebar.</li>
            <li>Review the policy: what the agent may do without asking.</li>
            <li>Describe the task in the message box.</li>
          </ol>
        </div>
      )}
    </div>
  );
}
