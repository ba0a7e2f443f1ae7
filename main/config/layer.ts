import type { ConfigIssue, Provenance } from '../../shared/domain/policy';
import { canonicalToolName } from '../policy/tool-names';
import { findKeyLine, parseToml, type TomlTable } from './toml-text';
import { KEY_SPECS, type KeySpec } from './key-specs';
import { permissionProblems } from './permission-issues';

/** One validated value from one file, under its canonical dotted key. */
export interface LayerValue {
  readonly value: unknown;
  /** The key as written in the file (`tools.policies.run_pty_cmd`, `sandbox.default_mode`). */
  readonly writtenKey: string;
  readonly line: number | null;
}

/** One config file, validated: its values by canonical key, and what was wrong with it. */
export interface ConfigLayerData {
  readonly source: Provenance & { readonly file: string };
  readonly values: ReadonlyMap<string, LayerValue>;
  readonly issues: readonly ConfigIssue[];
  /** False when the file could not be parsed at all or a value was invalid. */
  readonly valid: boolean;
  /** The file as read (absent when it did not parse): lint looks for keys nothing reads. */
  readonly raw?: { readonly text: string; readonly table: TomlTable };
}

function get(table: TomlTable, path: string): unknown {
  let node: unknown = table;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function splitKey(path: string): { section: string; key: string } {
  const at = path.lastIndexOf('.');
  return { section: path.slice(0, at), key: path.slice(at + 1) };
}

const OWNED_SECTIONS = [
  'tools',
  'tools.policies',
  'commands',
  'security',
  'permissions',
  'sandbox',
  'sandbox.network',
  'sandbox.sensitive_paths',
  'sandbox.resource_limits',
  'timeouts',
  'pty',
  'agent',
  'context',
  'mcp',
];

/** Read one vtcode.toml's text into canonical keys; every problem becomes an issue. */
export function readLayer(text: string, source: Provenance & { file: string }): ConfigLayerData {
  const parsed = parseToml(text, source.file);
  if (!parsed.ok) return { source, values: new Map(), issues: [parsed.issue], valid: false };
  const values = new Map<string, LayerValue>();
  const issues: ConfigIssue[] = [];
  const lineOf = (written: string): number | null => {
    const { section, key } = splitKey(written);
    return findKeyLine(text, section, key);
  };
  const fail = (written: string, message: string): void => {
    issues.push({
      file: source.file,
      key: written,
      line: lineOf(written),
      column: null,
      message,
      severity: 'error',
    });
  };

  for (const section of OWNED_SECTIONS) {
    const value = get(parsed.table, section);
    if (
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
    ) {
      fail(section, `[${section}] must be a table, got ${JSON.stringify(value)}`);
    }
  }
  const raw = { text, table: parsed.table };
  if (issues.length > 0) return { source, values, issues, valid: false, raw };
  for (const spec of KEY_SPECS) readSpec(parsed.table, spec, values, lineOf, fail);

  issues.push(...permissionProblems(values, source.file, lineOf));

  const policies = get(parsed.table, 'tools.policies');
  if (policies !== undefined) {
    if (typeof policies !== 'object' || policies === null || Array.isArray(policies)) {
      fail('tools.policies', 'must be a table of tool = "allow" | "prompt" | "deny"');
    } else {
      readToolPolicies(policies as Record<string, unknown>, values, lineOf, fail);
    }
  }
  // Warnings (a rule that is ignored) leave the file valid: only errors make it invalid.
  return { source, values, issues, valid: issues.every((i) => i.severity !== 'error'), raw };
}

function readSpec(
  table: TomlTable,
  spec: KeySpec,
  values: Map<string, LayerValue>,
  lineOf: (written: string) => number | null,
  fail: (written: string, message: string) => void,
): void {
  // The canonical key wins over older spellings written in the same file.
  for (const written of [spec.key, ...(spec.aliases ?? [])]) {
    const raw = get(table, written);
    if (raw === undefined) continue;
    const result = spec.parse(raw, written, table);
    if (!result.ok) {
      fail(written, result.message);
      return;
    }
    if (result.value === undefined) continue;
    values.set(spec.key, { value: result.value, writtenKey: written, line: lineOf(written) });
    return;
  }
}

function readToolPolicies(
  policies: Record<string, unknown>,
  values: Map<string, LayerValue>,
  lineOf: (written: string) => number | null,
  fail: (written: string, message: string) => void,
): void {
  const names = Object.keys(policies).sort((a, b) => {
    // Canonical names are applied last so they win over aliases in the same file.
    const aCanon = canonicalToolName(a) === a ? 1 : 0;
    const bCanon = canonicalToolName(b) === b ? 1 : 0;
    return aCanon - bCanon;
  });
  for (const name of names) {
    const written = `tools.policies.${name}`;
    const raw = policies[name];
    if (raw !== 'allow' && raw !== 'prompt' && raw !== 'deny') {
      fail(written, `must be "allow", "prompt" or "deny", got ${JSON.stringify(raw)}`);
      continue;
    }
    const key = `tools.policies.${canonicalToolName(name)}`;
    values.set(key, { value: raw, writtenKey: written, line: lineOf(written) });
  }
}
