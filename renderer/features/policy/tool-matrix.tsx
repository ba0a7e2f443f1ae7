import { Fragment, useMemo } from 'react';
import type {
  Decision,
  OtherToolEntry,
  PolicySnapshot,
  ToolPolicyRow,
} from '../../../shared/domain/policy';
import type { LintFinding } from '../../../shared/domain/policy-lint';
import { insightValue } from '../../stores/policy-lint-slice';
import { rowDecision, rowEdited, toolKeyFor } from '../../stores/policy-draft';
import { useRoot } from '../../stores/root-store';
import { LintMarker } from './lint-marker';
import { SourceTag } from './source-tag';
import { matrixGroups } from './tool-matrix-rows';
import './policy.css';

const DECISIONS: readonly Decision[] = ['allow', 'prompt', 'deny'];
const NO_FINDINGS: readonly LintFinding[] = [];
const LABEL: Record<Decision, string> = { allow: 'Allow', prompt: 'Ask', deny: 'Deny' };

/**
 * The tools × allow / ask / deny grid: one row per tool the agent has (main's tool registry), the
 * default policy above it, and `[tools.policies]` entries under other names below it.
 */
export function ToolMatrix({ snapshot }: { snapshot: PolicySnapshot }) {
  const edits = useRoot((s) => s.policyEdits);
  const stage = useRoot((s) => s.stagePolicyEdit);
  const findings = useRoot((s) => insightValue(s.policyLint)?.findings ?? NO_FINDINGS);
  const groups = useMemo(() => matrixGroups(snapshot.tools.matrix), [snapshot.tools.matrix]);
  const defaultEdit = edits['default-policy'];
  const defaultPolicy =
    defaultEdit?.kind === 'default-policy' ? defaultEdit.value : snapshot.tools.defaultPolicy;

  return (
    <section className="policy-section" aria-label="Tools">
      <h3>Tools</h3>
      <div
        className="default-policy"
        role="radiogroup"
        aria-label="Default policy"
        data-policy-target="default-policy"
        tabIndex={-1}
      >
        <span className="small">Tools without their own setting:</span>
        {DECISIONS.map((d) => (
          <label key={d} className={`chip chip-${d}`}>
            <input
              type="radio"
              name="default-policy"
              checked={defaultPolicy === d}
              onChange={() => stage({ kind: 'default-policy', value: d })}
            />
            {LABEL[d]}
          </label>
        ))}
        <SourceTag source={snapshot.tools.defaultPolicySource} />
      </div>
      <table className="matrix">
        <thead>
          <tr>
            <th scope="col">Tool</th>
            {DECISIONS.map((d) => (
              <th key={d} scope="col">
                {LABEL[d]}
              </th>
            ))}
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {groups.builtin.map((row) => (
            <ToolRow key={row.tool} row={row} defaultPolicy={defaultPolicy} findings={findings} />
          ))}
        </tbody>
        {groups.mcp.length > 0 && (
          <tbody aria-label="MCP tools">
            <tr className="matrix-group">
              <th colSpan={DECISIONS.length + 2} scope="colgroup">
                MCP server tools
              </th>
            </tr>
            {groups.mcp.map((row) => (
              <ToolRow key={row.tool} row={row} defaultPolicy={defaultPolicy} findings={findings} />
            ))}
          </tbody>
        )}
      </table>
      <OtherEntries entries={snapshot.tools.otherEntries} findings={findings} />
    </section>
  );
}

/** `mcp__server__tool` with a line break allowed after each `__`, so a long name wraps there. */
function BreakAtSeparators({ name }: { name: string }) {
  const parts = name.split('__');
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && (
        <>
          __
          <wbr />
        </>
      )}
    </Fragment>
  ));
}

/** The MCP server a tool comes from, as a tag beside its name. */
function McpServerTag({ row }: { row: ToolPolicyRow }) {
  if (!row.mcp) return null;
  return (
    <span
      className="source-tag mcp-server-tag"
      title={`A tool of the MCP server ${row.mcp.server}`}
    >
      {row.mcp.server}
    </span>
  );
}

/** What an MCP server says of its tool, on request: its description and input schema. */
function McpToolDetail({ row }: { row: ToolPolicyRow }) {
  if (!row.mcp) return null;
  return (
    <details className="mcp-tool-detail">
      <summary className="small">
        About<span className="visually-hidden"> {row.mcp.tool}</span>
      </summary>
      {row.mcp.description && row.mcp.description !== row.summary && (
        <p className="small">{row.mcp.description}</p>
      )}
      <div className="small muted">Input schema, as the server sent it:</div>
      <pre tabIndex={0} aria-label={`Input schema of ${row.tool}`}>
        {row.mcp.inputSchema}
      </pre>
    </details>
  );
}

/** One tool: its name (and MCP server), a radio per decision, and where the decision comes from. */
function ToolRow({
  row,
  defaultPolicy,
  findings,
}: {
  row: ToolPolicyRow;
  defaultPolicy: Decision;
  findings: readonly LintFinding[];
}) {
  const edits = useRoot((s) => s.policyEdits);
  const target = useRoot((s) => s.policyTarget);
  const stage = useRoot((s) => s.stagePolicyEdit);
  const value = rowDecision(row, edits, target, defaultPolicy);
  const edited = rowEdited(row, edits, target);
  return (
    <tr className={edited ? 'edited' : ''} data-policy-target={`tool:${row.tool}`} tabIndex={-1}>
      <th
        scope="row"
        title={row.aliases.length > 0 ? `also: ${row.aliases.join(', ')}` : undefined}
      >
        {row.mcp ? (
          <code className="mcp-tool-name">
            <BreakAtSeparators name={row.tool} />
          </code>
        ) : (
          <code>{row.tool}</code>
        )}{' '}
        <McpServerTag row={row} />
        {row.summary && <div className="tool-summary">{row.summary}</div>}
        <McpToolDetail row={row} />
        {findings
          .filter((f) => f.rule?.section === 'tools.policies' && f.rule.tool === row.tool)
          .map((f) => (
            <LintMarker key={f.id} finding={f} />
          ))}
      </th>
      {DECISIONS.map((d) => (
        <td key={d}>
          <input
            type="radio"
            name={`tool-${row.tool}`}
            aria-label={`${row.tool}: ${LABEL[d]}`}
            checked={value === d}
            onChange={() => stage({ kind: 'tool-policy', tool: toolKeyFor(row, target), value: d })}
          />
        </td>
      ))}
      <td>
        {edited ? (
          <span className="source-tag source-edited">unsaved</span>
        ) : (
          <SourceTag source={row.source} />
        )}
        {row.permission && (
          <span
            className="source-tag source-permission"
            title={`[permissions] ${row.permission.list} rule “${row.permission.entry}” decides this tool, over its own setting`}
          >
            {row.permission.list}: {row.permission.entry}
          </span>
        )}
      </td>
    </tr>
  );
}

/** What an entry under another name does: applies to a row, or changes nothing. */
export function otherEntryMeaning(entry: OtherToolEntry): string {
  return entry.aliasOf !== null
    ? `older name of ${entry.aliasOf}: applies to that row`
    : 'not a tool this app has: changes nothing here';
}

/** `[tools.policies]` entries that are not rows: older names of a tool, names of no tool. */
function OtherEntries({
  entries,
  findings,
}: {
  entries: readonly OtherToolEntry[];
  findings: readonly LintFinding[];
}) {
  if (entries.length === 0) return null;
  return (
    <div className="other-tool-entries">
      <p className="small muted">Other entries in [tools.policies]:</p>
      <ul aria-label="Other tool entries">
        {entries.map((e) => (
          <li key={`${e.source.layer}:${e.name}`}>
            <code>
              {e.name} = &quot;{e.decision}&quot;
            </code>{' '}
            <span className="small">{otherEntryMeaning(e)}</span> <SourceTag source={e.source} />
            {findings
              .filter(
                (f) =>
                  f.rule?.section === 'tools.policies' &&
                  f.rule.list === e.name &&
                  f.rule.layer === e.source.layer,
              )
              .map((f) => (
                <LintMarker key={f.id} finding={f} />
              ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
