import type { PermissionRuleList } from '../../../shared/domain/policy-edit';

/** Text to import from, and the file it came from (null: pasted). */
export interface ImportText {
  readonly file: string | null;
  readonly text: string;
}

/** Where a source rule is and how it reads, as the preview shows it. */
export interface SourceRule {
  readonly file: string | null;
  readonly where: string;
  readonly text: string;
}

/** What one source rule becomes in vtcode.toml, or why it cannot become anything. */
export type Mapping =
  | {
      readonly ok: true;
      readonly changes: readonly { readonly list: PermissionRuleList; readonly entry: string }[];
      readonly note: string | null;
      readonly warning: string | null;
    }
  | { readonly ok: false; readonly why: string; readonly warning: string | null };

/** A source rule and its mapping. */
export interface ReadRule {
  readonly source: SourceRule;
  readonly mapping: Mapping;
}

/** What a mapping needs to know: allow rules outside the workspace change nothing here. */
export interface ImportContext {
  /** The workspace under each of its names (as opened, and its real path). */
  readonly workspaces: readonly string[];
  readonly home: string;
}

export const notMapped = (why: string, warning: string | null = null): Mapping => ({
  ok: false,
  why,
  warning,
});

export const mapped = (
  changes: readonly { list: PermissionRuleList; entry: string }[],
  note: string | null = null,
  warning: string | null = null,
): Mapping => ({ ok: true, changes, note, warning });

/** Clip a rule for display (the whole of it stays in the file). */
export function clip(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
