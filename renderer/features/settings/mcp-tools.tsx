import type { McpToolView } from '../../../shared/domain/mcp';
import { useRoot } from '../../stores/root-store';
import { DecisionBadge } from '../policy/decision-badge';
import { useOpenPolicy } from '../policy/open-policy';

/** A server's tools: name, what it says it does, what the policy decides, its input schema. */
export function McpTools({ server, tools }: { server: string; tools: readonly McpToolView[] }) {
  const openPolicy = useOpenPolicy();
  const closeSettings = useRoot((s) => s.closeSettings);
  if (tools.length === 0) return null;
  return (
    <ul className="mcp-tools" aria-label={`Tools of ${server}`}>
      {tools.map((tool) => (
        <li key={tool.name} className="mcp-tool">
          <div className="mcp-tool-head">
            <code title={`Policy name: ${tool.name}`}>{tool.tool}</code>
            {tool.title && <span className="small">{tool.title}</span>}
            <span className="spacer" />
            <DecisionBadge decision={tool.decision} />
            <button
              type="button"
              className="link-button small"
              aria-label={`Open ${tool.name} in Policy rules`}
              title="Change what the policy decides for this tool"
              onClick={() => {
                // The sheet covers the Policy panel: close it, then show the tool's row.
                closeSettings();
                openPolicy(`tool:${tool.name}`);
              }}
            >
              Policy
            </button>
          </div>
          {tool.description && <p className="mcp-tool-description small">{tool.description}</p>}
          {tool.unavailable && (
            <p className="provider-note note-warn small">Not offered: {tool.unavailable}</p>
          )}
          <details className="mcp-schema">
            <summary className="small">Input schema</summary>
            <pre tabIndex={0} aria-label={`Input schema of ${tool.name}`}>
              {tool.inputSchema}
            </pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
