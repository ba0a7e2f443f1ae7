import { useEffect } from 'react';
import type { PolicySnapshot } from '../../../shared/domain/policy';
import type { EffectiveEntry, ExplainSource } from '../../../shared/domain/policy-explain';
import { insightValue } from '../../stores/policy-lint-slice';
import { useRoot } from '../../stores/root-store';
import { SourceTag } from './source-tag';

const OTHER_LAYERS = { trust: 'folder trust', mode: 'mode', grant: 'session grant' } as const;

/** The layer a value came from: the file tags of the Rules view, plus trust, mode and grants. */
export function LayerTag({ source }: { source: ExplainSource }) {
  const where = [source.key, source.line ? `line ${source.line}` : null].filter(Boolean).join(', ');
  if (source.layer === 'trust' || source.layer === 'mode' || source.layer === 'grant')
    return (
      <span className={`source-tag source-${source.layer}`} title={where || undefined}>
        {OTHER_LAYERS[source.layer]}
      </span>
    );
  return (
    <span title={where ? `${source.file ?? 'built-in'}: ${where}` : undefined}>
      <SourceTag source={{ layer: source.layer, file: source.file }} />
    </span>
  );
}

function Row({ entry }: { entry: EffectiveEntry }) {
  return (
    <tr data-effective={entry.id}>
      <th scope="row">
        <code>{entry.name}</code>
      </th>
      <td>
        <span className="effective-value">{entry.value}</span>
        {entry.entries.length > 0 && (
          <ul className="effective-entries" aria-label={`${entry.name} entries`}>
            {entry.entries.map((e, i) => (
              <li key={`${i}:${e.entry}`}>
                <code>{e.entry}</code> <LayerTag source={e.source} />
              </li>
            ))}
          </ul>
        )}
        {entry.changes.map((c, i) => (
          <div key={`c${i}`} className="effective-change">
            → <strong>{c.value}</strong> {c.what}
          </div>
        ))}
        {entry.overrode.map((o, i) => (
          <div key={`o${i}`} className="effective-overrode">
            overrode <code>{o.value}</code> <LayerTag source={o.source} />
          </div>
        ))}
        {entry.ignored.map((o, i) => (
          <div key={`i${i}`} className="effective-ignored">
            ignored <code>{o.value}</code> <LayerTag source={o.source} />: {o.why}
          </div>
        ))}
      </td>
      <td>
        <LayerTag source={entry.source} />
      </td>
    </tr>
  );
}

function Table({
  label,
  first,
  entries,
}: {
  label: string;
  first: string;
  entries: readonly EffectiveEntry[];
}) {
  return (
    <table className="matrix effective-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col">In force</th>
          <th scope="col">From</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <Row key={e.id} entry={e} />
        ))}
      </tbody>
    </table>
  );
}

/**
 * Policy › Effective: every tool and every setting or rule list, the value in force, the layer
 * behind it, what it overrode and what was ignored and why; under the mode picked for the next
 * message and with the open session's grants.
 */
export function EffectiveView({ snapshot }: { snapshot: PolicySnapshot }) {
  const load = useRoot((s) => s.loadPolicyExplain);
  const insight = useRoot((s) => s.policyExplain);
  const sessionId = useRoot((s) => s.activeSession?.id);
  const mode = useRoot((s) => s.agentMode);
  const grants = useRoot((s) => s.sessionGrants);
  useEffect(() => {
    void load({ mode, ...(sessionId ? { sessionId } : {}) });
  }, [load, snapshot, sessionId, mode, grants]);
  const value = insightValue(insight);
  if (!value)
    return insight.state === 'error' ? (
      <p className="form-error" role="alert">
        {insight.message}
      </p>
    ) : (
      <p className="muted small">Working out the policy in force…</p>
    );
  return (
    <section className="policy-section effective-view" aria-label="Effective policy">
      <p className="muted small">
        Under <strong>{value.mode.replace('_', '-')}</strong> mode
        {value.modeFrom === 'request' ? ' (picked for the next message)' : ' (the default)'}
        {value.grants.length > 0
          ? `, with this session's ${value.grants.length} grant${value.grants.length === 1 ? '' : 's'}`
          : ''}
        . Later layers win: the built-in defaults, then the user file, then the workspace file (deny
        lists join); the mode and grants apply on top.
      </p>
      <h3>Tools</h3>
      <Table label="Tools in force" first="Tool" entries={value.tools} />
      <h3>Rules and settings</h3>
      <Table label="Rules and settings in force" first="Setting" entries={value.rules} />
    </section>
  );
}
