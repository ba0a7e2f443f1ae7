import { useRoot } from '../../stores/root-store';

/** What a server wrote to stderr lately (redacted by main), fetched when asked for. */
export function McpLog({ server }: { server: string }) {
  const log = useRoot((s) => s.mcpLogs[server]);
  const reload = useRoot((s) => s.loadMcpLog);
  if (!log) return null;
  return (
    <div className="mcp-log" role="group" aria-label={`Log of ${server}`}>
      <div className="mcp-log-head small muted">
        <span>stderr, oldest first</span>
        <span className="spacer" />
        <button
          type="button"
          className="link-button small"
          disabled={log.state === 'loading'}
          onClick={() => void reload(server)}
        >
          Reload
        </button>
      </div>
      {log.state === 'error' ? (
        <p className="provider-note note-error small" role="alert">
          {log.message}
        </p>
      ) : log.state === 'loading' ? (
        <p className="muted small">Reading the log…</p>
      ) : log.lines.length === 0 ? (
        <p className="muted small">Nothing written to stderr.</p>
      ) : (
        // Focusable so the keyboard can scroll it.
        <pre tabIndex={0} aria-label={`stderr of ${server}`}>
          {log.lines.join('\n')}
        </pre>
      )}
    </div>
  );
}
