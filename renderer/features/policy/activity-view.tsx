import { useEffect } from 'react';
import type { DeciderKind } from '../../../shared/domain/activity-query';
import type { Decision, PolicySnapshot } from '../../../shared/domain/policy';
import type { ActivityFilterInput } from '../../stores/activity-slice';
import { useRoot } from '../../stores/root-store';
import { ActivityRow } from './activity-row';
import './activity.css';

const WHO: readonly { value: DeciderKind; label: string }[] = [
  { value: 'rule', label: 'A rule' },
  { value: 'user', label: 'You' },
  { value: 'grant', label: 'A session grant' },
  { value: 'mode', label: 'The mode' },
  { value: 'headless', label: 'A headless run' },
];

/**
 * Policy › Activity: every decision the agent's calls met and every answer given, newest first,
 * with who decided; filtered, paged, and updated as records are written.
 */
export function ActivityView({ snapshot }: { snapshot: PolicySnapshot }) {
  const workspacePath = useRoot((s) => s.workspace?.path ?? null);
  const activity = useRoot((s) => s.activity);
  const load = useRoot((s) => s.loadActivity);
  const notice = useRoot((s) => s.activityNotice);
  const loadingMore = useRoot((s) => s.activityLoadingMore);
  const loadMore = useRoot((s) => s.loadMoreActivity);
  const filtered = useRoot((s) =>
    Object.values(s.activityFilter).some((v) => typeof v === 'string' && v.trim() !== ''),
  );

  useEffect(() => {
    if (workspacePath) void load();
  }, [workspacePath, load]);

  return (
    <section className="policy-section activity-view" aria-label="Activity">
      <ActivityFilters tools={snapshot.tools.matrix.map((r) => r.tool)} />
      {activity.state === 'ready' && !activity.page.logging.enabled && (
        <p className="banner-inline" role="status">
          Logging is off: <code>[permissions] audit_enabled = false</code>. Nothing new is recorded
          until it is turned on again.
        </p>
      )}
      {activity.state === 'ready' && activity.page.logging.enabled && (
        <LoggingGaps logging={activity.page.logging} />
      )}
      {notice && (
        <p className="muted small" role="status">
          {notice}
        </p>
      )}
      {activity.state === 'loading' || activity.state === 'idle' ? (
        <p className="muted small">Reading the activity log…</p>
      ) : activity.state === 'error' ? (
        <p className="form-error" role="alert">
          {activity.message}
        </p>
      ) : (
        <>
          <ActivitySummary total={activity.page.total} counts={activity.page.counts} />
          {activity.page.warnings.length > 0 && (
            <details className="muted small">
              <summary>
                {activity.page.warnings.length} line{activity.page.warnings.length === 1 ? '' : 's'}{' '}
                could not be read
              </summary>
              <ul>
                {activity.page.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </details>
          )}
          {activity.page.records.length === 0 ? (
            <EmptyActivity filtered={filtered} />
          ) : (
            <ol className="activity-list" aria-label="Activity records">
              {activity.page.records.map((r) => (
                <ActivityRow
                  key={`${r.record.id}:${r.sealed}`}
                  read={r}
                  sessionTitle={activity.page.sessions[r.record.sessionId ?? ''] ?? null}
                />
              ))}
            </ol>
          )}
          {activity.page.more && (
            <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Show older records'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ActivityFilters({ tools }: { tools: readonly string[] }) {
  const filter = useRoot((s) => s.activityFilter);
  const setFilter = useRoot((s) => s.setActivityFilter);
  const sessions = useRoot((s) =>
    s.sessions.state === 'ready' || s.sessions.state === 'loading' ? s.sessions.list : [],
  );
  const pick = (key: keyof ActivityFilterInput) => (e: { target: { value: string } }) =>
    setFilter({ [key]: e.target.value === '' ? undefined : e.target.value });
  return (
    <div className="activity-filters" role="search" aria-label="Filter the activity">
      <select aria-label="Decision" value={filter.decision ?? ''} onChange={pick('decision')}>
        <option value="">Any decision</option>
        {(['allow', 'prompt', 'deny'] as const satisfies readonly Decision[]).map((d) => (
          <option key={d} value={d}>
            {d === 'allow' ? 'Allowed' : d === 'prompt' ? 'Asked' : 'Denied'}
          </option>
        ))}
      </select>
      <select aria-label="Tool" value={filter.tool ?? ''} onChange={pick('tool')}>
        <option value="">Any tool</option>
        {tools.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <select aria-label="Who decided" value={filter.by ?? ''} onChange={pick('by')}>
        <option value="">Anyone decided</option>
        {WHO.map((w) => (
          <option key={w.value} value={w.value}>
            {w.label}
          </option>
        ))}
      </select>
      <select aria-label="Session" value={filter.sessionId ?? ''} onChange={pick('sessionId')}>
        <option value="">Any session</option>
        {filter.sessionId && !sessions.some((s) => s.id === filter.sessionId) && (
          <option value={filter.sessionId}>{filter.sessionId}</option>
        )}
        {sessions.map((s) => (
          <option key={s.id} value={s.id}>
            {s.title}
          </option>
        ))}
      </select>
      <TextFilter label="Rule" placeholder="rule (git *, deny_glob, user file…)" field="rule" />
      <TextFilter label="Search the activity" placeholder="command, path or reason" field="text" />
    </div>
  );
}

/** A text filter: the box follows the store at once, the query waits for a pause (the slice). */
function TextFilter(props: { label: string; placeholder: string; field: 'rule' | 'text' }) {
  const value = useRoot((s) => s.activityFilter[props.field] ?? '');
  const setFilter = useRoot((s) => s.setActivityFilter);
  return (
    <input
      type="search"
      aria-label={props.label}
      placeholder={props.placeholder}
      spellCheck={false}
      value={value}
      onChange={(e) => setFilter({ [props.field]: e.target.value })}
    />
  );
}

function ActivitySummary(props: {
  total: number;
  counts: { allow: number; prompt: number; deny: number };
}) {
  const { allow, prompt, deny } = props.counts;
  return (
    <p className="muted small activity-summary" aria-live="polite">
      {props.total} record{props.total === 1 ? '' : 's'} · {allow} allowed · {prompt} asked · {deny}{' '}
      denied
      <span title="Lines this app did not write (a repository's, or edited since) are listed but never counted.">
        {' '}
        (written by this app)
      </span>
    </p>
  );
}

function LoggingGaps({
  logging,
}: {
  logging: { allowed: boolean; denied: boolean; prompts: boolean };
}) {
  const off = [
    logging.allowed ? null : 'allowed calls (log_allowed_commands)',
    logging.denied ? null : 'denied calls (log_denied_commands)',
    logging.prompts ? null : 'calls that ask and their answers (log_permission_prompts)',
  ].filter((x): x is string => x !== null);
  if (off.length === 0) return null;
  return (
    <p className="muted small" role="status">
      Not recorded now: {off.join('; ')}.
    </p>
  );
}

function EmptyActivity({ filtered }: { filtered: boolean }) {
  if (filtered) return <p className="muted small">No records match these filters.</p>;
  return (
    <div className="activity-empty muted small">
      <p>Nothing recorded yet in this workspace.</p>
      <p>
        Each tool call the agent makes is listed here as it is decided: allowed, asked or denied,
        with who decided (a rule and its file, you, a session grant, the mode), each part of a
        command and each path. Your answers to approvals are listed too.
      </p>
    </div>
  );
}
