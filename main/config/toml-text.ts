import { parse, stringify, TomlError, type TomlTableWithoutBigInt } from 'smol-toml';
import type { ConfigIssue } from '../../shared/domain/policy';

export type TomlTable = TomlTableWithoutBigInt;

/** Largest vtcode.toml we read: far above any real one, small enough to parse in milliseconds. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type TomlParseResult =
  | { readonly ok: true; readonly table: TomlTable }
  | { readonly ok: false; readonly issue: ConfigIssue };

/** Parse TOML text; a syntax error becomes an issue naming the file, line and column. */
export function parseToml(text: string, file: string): TomlParseResult {
  if (text.length > MAX_CONFIG_BYTES) {
    return { ok: false, issue: issue(file, null, null, `the file is larger than 1 MiB`) };
  }
  try {
    return { ok: true, table: parse(text, { unsafeKeyBehaviour: 'throw', maxDepth: 64 }) };
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split('\n')[0] ?? 'invalid TOML';
      const loc = { line: error.line, column: error.column };
      return {
        ok: false,
        issue: { ...issue(file, null, loc.line, `invalid TOML: ${first}`), ...loc },
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, issue: issue(file, null, null, `invalid TOML: ${message}`) };
  }
}

function issue(
  file: string,
  key: string | null,
  line: number | null,
  message: string,
): ConfigIssue {
  return { file, key, line, column: null, message, severity: 'error' };
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;

function headerPath(line: string): string | null {
  const match = HEADER.exec(line);
  if (!match?.[1]) return null;
  return match[1]
    .split('.')
    .map((part) => part.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}

/**
 * The 1-based line where `key` is set inside `[section]`, or null. A best-effort text scan for
 * error messages: smol-toml does not report positions of valid keys.
 */
export function findKeyLine(text: string, section: string, key: string): number | null {
  const lines = text.split('\n');
  let current = '';
  const keyPattern = new RegExp(
    `^\\s*(?:${escapeRegex(key)}|"${escapeRegex(key)}"|'${escapeRegex(key)}')\\s*=`,
  );
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = headerPath(line);
    if (header !== null) {
      current = header;
      if (current === `${section}.${key}` && key !== '') return i + 1;
      continue;
    }
    if (current === section && keyPattern.test(line)) return i + 1;
  }
  return null;
}

/** The 1-based line of the `[section]` header, or null. */
export function findSectionLine(text: string, section: string): number | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (headerPath(lines[i] ?? '') === section) return i + 1;
  }
  return null;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Structural equality that ignores key order and prototypes (parsed tables have none). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) return String(a) === String(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) &&
      sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

function withValue(table: TomlTable, section: string, key: string, value: unknown): TomlTable {
  const copy = structuredClone(table);
  let node: Record<string, unknown> = copy;
  for (const part of section.split('.')) {
    const next = node[part];
    if (next === undefined) node[part] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new Error(`cannot set ${section}.${key}: ${part} is not a table`);
    }
    node = node[part] as Record<string, unknown>;
  }
  node[key] = value;
  return copy;
}

/**
 * Set `[section] key = value` in TOML text, keeping comments and layout where it can: the line(s)
 * of the existing value are replaced or a line is inserted. The edited text is parsed back and
 * compared with the intended document; if they differ, the whole document is re-serialised
 * (which loses comments, a smol-toml limitation) rather than writing something unexpected.
 */
export function setTomlValue(text: string, section: string, key: string, value: unknown): string {
  const parsed =
    text.trim() === '' ? { ok: true as const, table: {} } : parseToml(text, 'vtcode.toml');
  if (!parsed.ok) throw new Error(parsed.issue.message);
  const intended = withValue(parsed.table, section, key, value);
  const rendered = `${key} = ${inlineValue(value)}`;
  const candidate = editText(text, section, key, rendered);
  if (candidate !== null) {
    const check = parseToml(candidate, 'vtcode.toml');
    if (check.ok && sameValue(check.table, intended)) return candidate;
  }
  return stringify(intended);
}

/**
 * A value as it is written after `key = `. smol-toml writes an array of tables as `[[key]]`
 * blocks, which cannot follow `key =`; such arrays are written inline (`[{ a = 1 }]`).
 */
function inlineValue(value: unknown): string {
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null))
    return `[${value.map(inlineValue).join(', ')}]`;
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  ) {
    const pairs = Object.entries(value).map(
      ([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)} = ${inlineValue(v)}`,
    );
    return pairs.length === 0 ? '{}' : `{ ${pairs.join(', ')} }`;
  }
  return stringify({ v: value }).replace(/^v = /, '').trimEnd();
}

function editText(text: string, section: string, key: string, rendered: string): string | null {
  const lines = text.split('\n');
  const keyLine = findKeyLine(text, section, key);
  if (keyLine !== null) {
    // The old value may span lines (a multi-line array): take lines until the slice parses.
    for (let end = keyLine; end <= lines.length && end < keyLine + 2000; end++) {
      const slice = lines.slice(keyLine - 1, end).join('\n');
      const probe = parseToml(slice, 'probe');
      if (probe.ok && key in probe.table) {
        return [...lines.slice(0, keyLine - 1), rendered, ...lines.slice(end)].join('\n');
      }
    }
    return null;
  }
  const sectionLine = findSectionLine(text, section);
  if (sectionLine !== null) {
    // After the section's last key (keys keep the order they were added in); blank lines and
    // comments just above the next header stay with that header.
    let end = sectionLine;
    while (end < lines.length && headerPath(lines[end] ?? '') === null) end++;
    while (end > sectionLine && /^\s*(#.*)?$/.test(lines[end - 1] ?? '')) end--;
    return [...lines.slice(0, end), rendered, ...lines.slice(end)].join('\n');
  }
  const sep = text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return `${text}${sep}[${section}]\n${rendered}\n`;
}

function withoutValue(table: TomlTable, section: string, key: string): TomlTable {
  const copy = structuredClone(table);
  let node: unknown = copy;
  for (const part of section.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return copy;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
    delete (node as Record<string, unknown>)[key];
  }
  return copy;
}

/**
 * Remove `[section] key` from TOML text (its line, or lines for a multi-line value), keeping the
 * rest as written; verified like setTomlValue, re-serialised when the edit cannot be verified.
 */
export function removeTomlValue(text: string, section: string, key: string): string {
  if (text.trim() === '') return text;
  const parsed = parseToml(text, 'vtcode.toml');
  if (!parsed.ok) throw new Error(parsed.issue.message);
  const intended = withoutValue(parsed.table, section, key);
  const keyLine = findKeyLine(text, section, key);
  if (keyLine === null) return text;
  const lines = text.split('\n');
  for (let end = keyLine; end <= lines.length && end < keyLine + 2000; end++) {
    const probe = parseToml(lines.slice(keyLine - 1, end).join('\n'), 'probe');
    if (probe.ok && key in probe.table) {
      const candidate = [...lines.slice(0, keyLine - 1), ...lines.slice(end)].join('\n');
      const check = parseToml(candidate, 'vtcode.toml');
      if (check.ok && sameValue(check.table, intended)) return candidate;
      break;
    }
  }
  return stringify(intended);
}

/**
 * Replace every `[[key]]` table of a top-level array of tables with `tables` (written after the
 * rest of the file, one `[[key]]` block each; none when `tables` is empty). Comments and layout
 * elsewhere stay; the result is verified and re-serialised when it cannot be.
 */
export function setTomlTables(
  text: string,
  key: string,
  tables: readonly Readonly<Record<string, unknown>>[],
): string {
  const parsed =
    text.trim() === '' ? { ok: true as const, table: {} } : parseToml(text, 'vtcode.toml');
  if (!parsed.ok) throw new Error(parsed.issue.message);
  const intended = structuredClone(parsed.table) as Record<string, unknown>;
  // A dotted key (`mcp.providers`) is an array of tables inside the tables it names.
  const path = key.split('.');
  let parent = intended;
  for (const part of path.slice(0, -1)) {
    const next = parent[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) parent[part] = {};
    parent = parent[part] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (tables.length === 0) delete parent[last];
  else parent[last] = tables.map((t) => ({ ...t }));
  // Drop each `[[key]]` block: from its header to the next header (comments above the next
  // header stay with it).
  const lines = text.split('\n');
  const kept: string[] = [];
  let inBlock = false;
  for (const line of lines) {
    const header = headerPath(line);
    if (header !== null) inBlock = /^\s*\[\[/.test(line) && header === key;
    if (!inBlock) kept.push(line);
  }
  let candidate = kept.join('\n').replace(/\n{3,}$/, '\n\n');
  if (tables.length > 0) {
    const blocks = tables.map((t) => `[[${key}]]\n${stringify(t).trimEnd()}\n`);
    const sep =
      candidate.trim() === ''
        ? ''
        : candidate.endsWith('\n\n')
          ? ''
          : candidate.endsWith('\n')
            ? '\n'
            : '\n\n';
    candidate = `${candidate.trim() === '' ? '' : candidate}${sep}${blocks.join('\n')}`;
  }
  const check = parseToml(candidate, 'vtcode.toml');
  if (check.ok && sameValue(check.table, intended)) return candidate;
  return stringify(intended);
}
