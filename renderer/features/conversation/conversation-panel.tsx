import { useRoot } from '../../stores/root-store';

/** The conversation with the agent: messages above, the message box below. */
export function ConversationPanel() {
  const workspace = useRoot((s) => s.workspace);
  return (
    <main className="conversation" aria-label="Conversation">
      <div className="messages" aria-live="polite">
        {workspace ? (
          <div className="empty-state">
            <h1>{workspace.name}</h1>
            <p>
              A new conversation in <code>{workspace.path}</code>.
            </p>
            <ul className="facts">
              <li>
                {workspace.hasConfig
                  ? 'vtcode.toml found: its policy applies.'
                  : 'No vtcode.toml here: the default policy (prompt for everything) applies.'}
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
      <form className="composer" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="message" className="visually-hidden">
          Message
        </label>
        <textarea
          id="message"
          rows={3}
          disabled
          placeholder={
            workspace
              ? 'The agent runtime is not connected in this build.'
              : 'Open a workspace first.'
          }
        />
        <button type="submit" className="primary" disabled>
          Send
        </button>
      </form>
    </main>
  );
}
