import type { DiffLine } from '../../../shared/domain/diff-lines';

const SIGN: Record<DiffLine['kind'], string> = { add: '+', del: '−', hunk: '', same: ' ' };

/** Diff lines drawn as a unified diff (signs, colours, words for screen readers). */
export function DiffBody({ lines, label }: { lines: readonly DiffLine[]; label: string }) {
  return (
    <pre className="diff-body" aria-label={label}>
      {lines.map((line, i) => (
        <div key={i} className={`diff-${line.kind}`}>
          <span aria-hidden="true" className="diff-sign">
            {SIGN[line.kind]}
          </span>
          {line.kind === 'add' && <span className="visually-hidden">added: </span>}
          {line.kind === 'del' && <span className="visually-hidden">removed: </span>}
          {line.text}
        </div>
      ))}
    </pre>
  );
}
