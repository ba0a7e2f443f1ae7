import { useEffect } from 'react';
import { useRoot } from '../../stores/root-store';
import { McpAddForm } from './mcp-add-form';
import { McpServerRow } from './mcp-server-row';
import './mcp.css';

/**
 * Settings › MCP: the servers the config files declare, how each is, its tools and secrets, and a
 * form to add one to the user file. The list follows main's `mcp:changed`.
 */
export function McpSection() {
  const mcp = useRoot((s) => s.mcp);
  const loadMcp = useRoot((s) => s.loadMcp);
  const turnOn = useRoot((s) => s.setAllMcpEnabled);
  const busy = useRoot((s) => s.mcpNotes['']?.kind === 'busy');
  useEffect(() => {
    void loadMcp();
  }, [loadMcp]);

  return (
    <section className="tokens-section mcp-section" aria-labelledby="mcp-title">
      <h3 id="mcp-title">MCP servers</h3>
      <p className="muted small">
        Servers that give the agent more tools. A command runs inside the sandbox (no network and
        read-only unless you allow more); a URL is reached under the network policy. Each tool is a
        policy subject named <code>mcp__server__tool</code>: allow, ask or deny it in Policy › Rules
        like any other tool. A server declared by a workspace file runs only once you approve its
        command line.
      </p>
      {mcp.state === 'loading' || mcp.state === 'idle' ? (
        <p className="muted small">Reading the MCP servers…</p>
      ) : mcp.state === 'error' ? (
        <p className="form-error" role="alert">
          {mcp.message}
        </p>
      ) : (
        <>
          {!mcp.list.enabled && (
            <p className="keychain keychain-problem small" role="status">
              <strong>MCP is off</strong> (<code>[mcp] enabled</code> is not true): no server is
              started and no MCP tool is offered, whatever each server says.{' '}
              <button type="button" disabled={busy} onClick={() => void turnOn(true)}>
                Turn MCP on
              </button>
            </p>
          )}
          {mcp.list.issues.length > 0 && (
            <ul className="mcp-issues small" aria-label="MCP configuration warnings">
              {mcp.list.issues.map((issue) => (
                <li key={issue}>Warning: {issue}</li>
              ))}
            </ul>
          )}
          {mcp.list.servers.length === 0 ? (
            <p className="muted small">No server yet.</p>
          ) : (
            <ul className="providers" aria-label="MCP servers">
              {mcp.list.servers.map((server) => (
                <McpServerRow key={server.name} server={server} mcpOn={mcp.list.enabled} />
              ))}
            </ul>
          )}
        </>
      )}
      <McpAddForm />
    </section>
  );
}
