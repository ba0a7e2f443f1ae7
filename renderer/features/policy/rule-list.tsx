import { useState, type FormEvent } from 'react';
import type { LintFinding } from '../../../shared/domain/policy-lint';
import { placeKey } from '../../stores/lint-fix';
import { LintMarker } from './lint-marker';

/** Lint findings of a list, keyed by entry and occurrence (see listFindings). */
export type PlacedFindings = ReadonlyMap<string, readonly LintFinding[]>;

const NONE: PlacedFindings = new Map();

/** The findings of each row: the second `ls` of a list is its own row. */
function perRow(entries: readonly string[], placed: PlacedFindings): (readonly LintFinding[])[] {
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const k = seen.get(entry) ?? 0;
    seen.set(entry, k + 1);
    return placed.get(placeKey(entry, k)) ?? [];
  });
}

/**
 * One editable list of rules (add, edit, delete), with problems flagged as you type; `explain`
 * says what a rule does, under it; lint findings sit beside their rule.
 */
export function RuleList(props: {
  label: string;
  /** The list's key in a rule target (`rule:<list>:<entry>`): `allow_glob`, `permissions.allow`. */
  list: string;
  /** Why an entry would be refused on Save; null when it is fine. */
  validate: (entry: string) => string | null;
  explain?: (entry: string) => string;
  entries: readonly string[];
  inherited: readonly string[];
  inheritedFrom: string;
  onChange: (entries: string[]) => void;
  /** Findings of the file being edited, and of the other file, placed by entry. */
  findings?: { readonly own: PlacedFindings; readonly inherited: PlacedFindings };
}) {
  const { label, list, validate, explain, entries, inherited, inheritedFrom, onChange } = props;
  const ownFindings = perRow(entries, props.findings?.own ?? NONE);
  const inheritedFindings = perRow(inherited, props.findings?.inherited ?? NONE);
  const [draft, setDraft] = useState('');
  const problem = draft === '' ? null : validate(draft);

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (draft === '' || problem) return;
    if (!entries.includes(draft)) onChange([...entries, draft]);
    setDraft('');
  };

  return (
    <div className="rule-list" role="group" aria-label={label}>
      <div className="rule-list-title">{label}</div>
      <ul>
        {inherited.map((entry, index) => (
          <li
            key={`inherited:${index}:${entry}`}
            className="inherited"
            title={`from the ${inheritedFrom} file`}
            data-policy-target={`rule:${list}:${entry}`}
          >
            <code>{entry}</code> <span className="source-tag">{inheritedFrom}</span>
            {explain && <div className="rule-words small muted">{explain(entry)}</div>}
            {inheritedFindings[index]?.map((f) => (
              <LintMarker key={f.id} finding={f} />
            ))}
          </li>
        ))}
        {entries.map((entry, index) => (
          <RuleRow
            key={`${index}:${entry}`}
            list={list}
            validate={validate}
            {...(explain ? { explain } : {})}
            entry={entry}
            label={label}
            findings={ownFindings[index] ?? []}
            onSave={(value) => onChange(entries.map((e, i) => (i === index ? value : e)))}
            onDelete={() => onChange(entries.filter((_, i) => i !== index))}
          />
        ))}
      </ul>
      <form className="rule-add" onSubmit={add}>
        <input
          type="text"
          aria-label={`New ${label} rule`}
          aria-invalid={problem !== null}
          placeholder="add a rule"
          spellCheck={false}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" disabled={draft === '' || problem !== null}>
          Add
        </button>
      </form>
      {problem && (
        <p className="form-error small" role="alert">
          {problem}
        </p>
      )}
      {!problem && draft !== '' && explain && (
        <p className="rule-words small muted">{explain(draft)}</p>
      )}
    </div>
  );
}

function RuleRow(props: {
  list: string;
  validate: (entry: string) => string | null;
  explain?: (entry: string) => string;
  entry: string;
  label: string;
  findings: readonly LintFinding[];
  onSave: (value: string) => void;
  onDelete: () => void;
}) {
  const [value, setValue] = useState(props.entry);
  const problem = props.validate(value);
  return (
    <li data-policy-target={`rule:${props.list}:${props.entry}`}>
      <input
        type="text"
        aria-label={`${props.label} rule`}
        aria-invalid={problem !== null}
        spellCheck={false}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => {
          if (!problem && value !== props.entry) props.onSave(value);
        }}
      />
      <button
        type="button"
        className="icon-button"
        aria-label={`Delete ${props.label} rule ${props.entry}`}
        onClick={props.onDelete}
      >
        ×
      </button>
      {problem && <div className="form-error small">{problem}</div>}
      {!problem && props.explain && (
        <div className="rule-words small muted">{props.explain(value)}</div>
      )}
      {props.findings.map((f) => (
        <LintMarker key={f.id} finding={f} />
      ))}
    </li>
  );
}
