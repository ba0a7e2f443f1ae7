import { useState } from 'react';
import type { McpServerView } from '../../../shared/domain/mcp';
import { selectMcpNote } from '../../stores/mcp-slice';
import { useRoot } from '../../stores/root-store';
import { McpLog } from './mcp-log';
import { McpSecrets } from './mcp-secrets';
import { McpTools } from './mcp-tools';
import { MCP_STATUS, mcpNoteText, mcpServerActions, mcpSourceText, mcpTarget } from './mcp-words';

/** The status as a word in a coloured frame; what it means on hover. */
function StatusBadge({ server }: { server: McpServerView }) {
  const words = MCP_STATUS[server.status];
  return (
    <span className={`mcp-status mcp-tone-${words.tone}`} title={words.help}>
      {words.label}
    </span>
  );
}

/** What a server may do when it runs: folder, variables, network, writes. */
function Facts({ server }: { server: McpServerView }) {
  const facts: string[] = [];
  if (server.cwd) facts.push(`in ${server.cwd}`);
  if (server.envNames.length > 0) facts.push(`variables: ${server.envNames.join(', ')}`);
  if (server.transport === 'stdio') {
    facts.push(server.network ? 'network: under the network policy' : 'network: none');
    facts.push(
      server.writable.length > 0 ? `may write: ${server.writable.join(', ')}` : 'read-only',
    );
  }
  if (server.startedAt) facts.push(`started ${new Date(server.startedAt).toLocaleTimeString()}`);
  return <p className="mcp-facts muted small">{facts.join(' · ')}</p>;
}

/** needs-approval, untrusted, not-allowed: what stands in the way, and for approval the button. */
function Gate({ server, busy }: { server: McpServerView; busy: boolean }) {
  const approve = useRoot((s) => s.approveMcpServer);
  if (server.status === 'needs-approval') {
    return (
      <div className="mcp-gate" role="group" aria-label={`Approve ${server.name}`}>
        <p className="small">
          The workspace file declares this server. It runs only once you approve exactly what
          follows (program, arguments, folder, variables, network, writable folders); if any of it
          or the server&apos;s own script in this folder changes, you are asked again:
        </p>
        <pre className="mcp-command-line" tabIndex={0} aria-label="Command line to approve">
          {server.commandLine}
        </pre>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void approve(server.name, server.commandLine)}
        >
          Approve and start
        </button>
      </div>
    );
  }
  if (server.status === 'untrusted') {
    return (
      <p className="mcp-gate small">
        Declared by the workspace file of a folder that is not trusted. Trust the folder first; then
        you can approve this server.
      </p>
    );
  }
  if (server.status === 'not-allowed') {
    return (
      <p className="mcp-gate small">
        Not started: <code>[mcp.requirements] enforce</code> does not list its command or endpoint.
      </p>
    );
  }
  return null;
}

/** One server: what it is, where it came from, how it is, its buttons, log, tools and secrets. */
export function McpServerRow({ server, mcpOn }: { server: McpServerView; mcpOn: boolean }) {
  const note = useRoot(selectMcpNote(server.name));
  const logShown = useRoot((s) => server.name in s.mcpLogs);
  const setEnabled = useRoot((s) => s.setMcpEnabled);
  const start = useRoot((s) => s.startMcpServer);
  const stop = useRoot((s) => s.stopMcpServer);
  const restart = useRoot((s) => s.restartMcpServer);
  const remove = useRoot((s) => s.removeMcpServer);
  const showLog = useRoot((s) => s.loadMcpLog);
  const hideLog = useRoot((s) => s.hideMcpLog);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const busy = note?.kind === 'busy';
  const can = mcpServerActions(server, mcpOn);
  const name = server.name;

  return (
    <li className="provider mcp-server" role="group" aria-label={`MCP server ${name}`}>
      <div className="provider-head">
        <strong className="provider-name">{name}</strong>
        <span className="pill">{server.transport === 'http' ? 'HTTP' : 'stdio'}</span>
        <StatusBadge server={server} />
        <span
          className={`source-tag source-${server.source.layer}`}
          title={server.source.file ?? undefined}
        >
          {mcpSourceText(server.source)}
        </span>
      </div>
      <code className="mcp-target" aria-label={server.transport === 'http' ? 'URL' : 'Command'}>
        {mcpTarget(server)}
      </code>
      <Facts server={server} />
      {server.lastError && (
        <p className="provider-note note-error small">Last error: {server.lastError}</p>
      )}
      <Gate server={server} busy={busy} />
      <div className="provider-actions">
        {/* `enabled` is written to the file that declares the server: the user's, from here. */}
        {server.source.layer === 'user' && (
          <button
            type="button"
            disabled={busy}
            aria-label={`${server.enabled ? 'Disable' : 'Enable'} ${name}`}
            onClick={() => void setEnabled(name, !server.enabled)}
          >
            {server.enabled ? 'Disable' : 'Enable'}
          </button>
        )}
        {can.start && (
          <button
            type="button"
            disabled={busy}
            aria-label={`Start ${name}`}
            onClick={() => void start(name)}
          >
            Start
          </button>
        )}
        {can.stop && (
          <button
            type="button"
            disabled={busy}
            aria-label={`Stop ${name}`}
            onClick={() => void stop(name)}
          >
            Stop
          </button>
        )}
        {can.restart && (
          <button
            type="button"
            disabled={busy}
            aria-label={`Restart ${name}`}
            onClick={() => void restart(name)}
          >
            Restart
          </button>
        )}
        <button
          type="button"
          aria-expanded={logShown}
          aria-label={`${logShown ? 'Hide' : 'Show'} log of ${name}`}
          onClick={() => (logShown ? hideLog(name) : void showLog(name))}
        >
          {logShown ? 'Hide log' : 'Show log'}
        </button>
        <span className="spacer" />
        {can.remove && !confirmRemove && (
          <button
            type="button"
            disabled={busy}
            aria-label={`Remove ${name}`}
            title="Remove it from your user vtcode.toml"
            onClick={() => setConfirmRemove(true)}
          >
            Remove
          </button>
        )}
      </div>
      {confirmRemove && (
        <div className="confirm" role="group" aria-label={`Confirm removing ${name}`}>
          <span className="small">Stop {name} and remove it from your user vtcode.toml?</span>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirmRemove(false);
              void remove(name);
            }}
          >
            Remove server
          </button>
          <button type="button" onClick={() => setConfirmRemove(false)}>
            Keep it
          </button>
        </div>
      )}
      {note && (
        <p
          className={`provider-note note-${note.kind === 'error' ? 'error' : 'muted'} small`}
          role={note.kind === 'error' ? 'alert' : 'status'}
        >
          {mcpNoteText(note)}
        </p>
      )}
      <McpLog server={name} />
      <McpTools server={name} tools={server.tools} />
      <McpSecrets server={server} busy={busy} />
    </li>
  );
}
