import type { Provenance } from '../../../shared/domain/policy';

const LABEL = {
  workspace: 'workspace',
  user: 'user',
  explicit: '--config',
  default: 'default',
} as const;

/** Which file a value came from; the full path on hover. */
export function SourceTag({ source }: { source: Provenance }) {
  return (
    <span className={`source-tag source-${source.layer}`} title={source.file ?? 'built-in default'}>
      {LABEL[source.layer]}
    </span>
  );
}
