import type { Provenance } from '../../shared/domain/policy';
import type {
  EffectiveEntry,
  ExplainSource,
  ExplainValue,
} from '../../shared/domain/policy-explain';
import type { TrailEvent, VtcodeConfig } from '../config/effective';

/** A value as the table shows it: `"allow"` as allow, lists joined, tables as `domain:port`. */
export function show(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    return value
      .map((v: unknown) => {
        if (typeof v !== 'object' || v === null || !('domain' in v)) return String(v);
        const { domain, port } = v as { domain: unknown; port?: unknown };
        return `${String(domain)}:${typeof port === 'number' ? port : 443}`;
      })
      .join(', ');
  }
  return String(value);
}

export const DEFAULT_SOURCE: ExplainSource = {
  layer: 'default',
  file: null,
  key: null,
  line: null,
};

/** The source of one trail event. */
export function sourceOf(e: TrailEvent): ExplainSource {
  return { layer: e.source.layer, file: e.source.file, key: e.writtenKey, line: e.line };
}

/** A provenance (no key or line known) as a source. */
export function fromProvenance(p: Provenance, key: string | null = null): ExplainSource {
  return { layer: p.layer, file: p.file, key: p.layer === 'default' ? null : key, line: null };
}

/**
 * What the files did with one key: the value that was taken last (the winner), the values it
 * replaced, the values not taken and why, and (for lists that join) every file that added to it.
 */
export function history(
  config: VtcodeConfig,
  key: string,
): {
  winner: TrailEvent | null;
  overrode: ExplainValue[];
  ignored: EffectiveEntry['ignored'];
  joined: TrailEvent[];
} {
  const events = config.trail.filter((e) => e.key === key);
  const taken = events.filter((e) => e.outcome === 'set' || e.outcome === 'trimmed');
  const winner = taken.at(-1) ?? null;
  return {
    winner,
    overrode: taken.slice(0, -1).map((e) => ({ value: show(e.value), source: sourceOf(e) })),
    ignored: events
      .filter((e) => e.outcome === 'ignored' || e.outcome === 'trimmed')
      .map((e) => ({
        value: e.outcome === 'trimmed' ? 'some entries' : show(e.value),
        source: sourceOf(e),
        why: e.why ?? 'ignored',
      })),
    joined: events.filter((e) => e.outcome === 'joined'),
  };
}
