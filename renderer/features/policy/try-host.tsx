import { useEffect, useState } from 'react';
import { useRoot } from '../../stores/root-store';
import { DecisionBadge } from './decision-badge';

/** `host`, `host:port` or `[v6]:port` as typed: the host and the port (null: the default, 443). */
export function splitHostInput(text: string): { host: string; port: number | null } {
  const t = text.trim();
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(t);
  if (v6) return { host: v6[1] ?? '', port: v6[2] ? Number(v6[2]) : null };
  const m = /^([^:]+):(\d{1,5})$/.exec(t);
  return m ? { host: m[1] ?? '', port: Number(m[2]) } : { host: t, port: null };
}

/**
 * "Try a host": type `host[:port]` and see what a sandboxed command connecting there would meet
 * under the saved rules (allowed, asked about, denied) and which entry decided.
 */
export function TryHost() {
  const tryHost = useRoot((s) => s.tryHost);
  const result = useRoot((s) => s.tryHostResult);
  const dirty = useRoot((s) => Object.keys(s.policyEdits).length > 0);
  const [text, setText] = useState('');

  useEffect(() => {
    const { host, port } = splitHostInput(text);
    const timer = setTimeout(() => void tryHost(host, port), 120);
    return () => clearTimeout(timer);
  }, [text, tryHost]);

  return (
    <div className="try-host" role="group" aria-label="Try a host">
      <div className="rule-list-title">Try a host</div>
      <input
        type="text"
        aria-label="Host to try"
        placeholder="api.github.com:443"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {dirty && (
        <p className="muted small">Checked against the saved rules, not your unsaved edits.</p>
      )}
      <div className="try-result" aria-live="polite" data-testid="try-host-result">
        {result.state === 'checking' && <span className="muted small">Checking…</span>}
        {result.state === 'error' && <p className="form-error">{result.message}</p>}
        {result.state === 'done' && (
          <>
            <div className="try-verdict" data-testid="try-host-verdict">
              <DecisionBadge
                decision={result.result.decision === 'ask' ? 'prompt' : result.result.decision}
              />
              <code>
                {result.result.host}:{result.result.port}
              </code>
              <span className="small">{result.result.reason}</span>
            </div>
            {result.result.entry?.file && (
              <div className="muted small">In {result.result.entry.file}</div>
            )}
          </>
        )}
      </div>
    </div>
  );
}
