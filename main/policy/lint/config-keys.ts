import type { LintFinding } from '../../../shared/domain/policy-lint';
import type { VtcodeConfig } from '../../config/effective';
import { KEY_SPECS } from '../../config/key-specs';
import type { ConfigLayerData } from '../../config/layer';
import { findKeyLine, findSectionLine } from '../../config/toml-text';
import { didYouMean, fileName, finding } from './lint-types';
import { VTCODE_SECTION_KEYS, VTCODE_TOP_LEVEL } from './vtcode-keys';

/** Every dotted key this app reads (canonical names and older spellings). */
const APP_KEYS: ReadonlySet<string> = new Set(
  KEY_SPECS.flatMap((s) => [s.key, ...(s.aliases ?? [])]),
);

/** Sections whose keys are checked: those this app reads. */
const CHECKED: ReadonlySet<string> = new Set(Object.keys(VTCODE_SECTION_KEYS));

/** Top-level keys this app reads that VT Code does not list (none today; kept for clarity). */
const APP_TOP_LEVEL: ReadonlySet<string> = new Set(
  [...APP_KEYS].map((k) => k.split('.')[0] ?? '').concat(['custom_providers']),
);

const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Keys a section may hold, as either reader knows them (for "did you mean"). */
function knownIn(section: string): string[] {
  const prefix = `${section}.`;
  const app = [...APP_KEYS]
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length).split('.')[0] ?? '');
  return [...new Set([...(VTCODE_SECTION_KEYS[section] ?? []), ...app])];
}

/**
 * Keys of one file nothing reads (a typo: warning with "did you mean"), and keys only VT Code
 * reads (info). Only the sections this app reads are walked key by key.
 */
function layerKeyFindings(layer: ConfigLayerData): LintFinding[] {
  const raw = layer.raw;
  if (!raw) return [];
  const out: LintFinding[] = [];
  const file = layer.source.file;
  const where = fileName(layer.source);
  for (const [top, value] of Object.entries(raw.table)) {
    if (VTCODE_TOP_LEVEL.has(top) || APP_TOP_LEVEL.has(top)) continue;
    const guess = didYouMean(top, [...VTCODE_TOP_LEVEL]);
    out.push(
      finding({
        severity: 'warning',
        kind: 'unknown-key',
        message: `${isTable(value) ? `[${top}]` : `\`${top}\``} (${where}) is read by neither VT Code nor this app${guess ? `. Did you mean ${guess}?` : '.'}`,
        key: top,
        file,
        line: isTable(value) ? findSectionLine(raw.text, top) : findKeyLine(raw.text, '', top),
      }),
    );
  }
  const walk = (section: string, table: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(table)) {
      const dotted = `${section}.${key}`;
      if (section === 'tools' && key === 'policies') continue; // names are checked as tools
      if (CHECKED.has(dotted) && isTable(value)) {
        walk(dotted, value);
        continue;
      }
      if (APP_KEYS.has(dotted)) continue;
      const line = findKeyLine(raw.text, section, key) ?? findSectionLine(raw.text, dotted);
      if ((VTCODE_SECTION_KEYS[section] ?? []).includes(key)) {
        out.push(
          finding({
            severity: 'info',
            kind: 'vtcode-only-key',
            message: `[${section}] ${key} (${where}) is read by VT Code; this app does not use it.`,
            key: dotted,
            file,
            line,
          }),
        );
        continue;
      }
      const guess = didYouMean(key, knownIn(section));
      out.push(
        finding({
          severity: 'warning',
          kind: 'unknown-key',
          message: `[${section}] ${key} (${where}) is read by neither VT Code nor this app, so it does nothing${guess ? `. Did you mean ${guess}?` : '.'}`,
          key: dotted,
          file,
          line,
        }),
      );
    }
  };
  for (const section of CHECKED) {
    if (section.includes('.')) continue;
    const table = raw.table[section];
    if (isTable(table)) walk(section, table);
  }
  return out;
}

/** Keys nothing reads and keys only VT Code reads, in every file of the config. */
export function keyFindings(config: VtcodeConfig): LintFinding[] {
  return config.layers.flatMap(layerKeyFindings);
}

/**
 * Values a file sets that are not used because of that file (an untrusted folder, a key only the
 * user file may set, the sandbox ceiling): the config's warnings, as findings.
 */
export function ignoredKeyFindings(config: VtcodeConfig): LintFinding[] {
  return config.issues
    .filter((i) => i.severity === 'warning')
    .map((i) =>
      finding({
        severity: 'warning',
        kind: 'ignored-key',
        message: `${i.key ? `\`${i.key}\` ` : ''}(${i.file.split(/[\\/]/).pop() ?? i.file}${i.line ? ` line ${i.line}` : ''}): ${i.message}`,
        key: i.key,
        file: i.file,
        line: i.line,
      }),
    );
}

// Lists that a later file replaces rather than joins (the deny lists join: effective.ts).
const REPLACED_LISTS = [
  ...['commands.allow_list', 'commands.allow_glob', 'commands.allow_regex'],
  ...['commands.approval_prefixes', 'permissions.allow', 'permissions.ask'],
];

/** A user-file allow list the workspace file's list of the same name replaces (lists do not merge). */
export function overriddenListFindings(config: VtcodeConfig): LintFinding[] {
  const out: LintFinding[] = [];
  for (const key of REPLACED_LISTS) {
    const sets = config.trail.filter((e) => e.key === key && e.outcome === 'set');
    const winner = sets.at(-1);
    if (!winner) continue;
    for (const loser of sets.slice(0, -1)) {
      const count = Array.isArray(loser.value) ? loser.value.length : 0;
      if (count === 0) continue;
      const [section, list] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
      out.push(
        finding({
          severity: 'info',
          kind: 'overridden-list',
          message: `[${section}] ${list} of ${fileName(loser.source)} (${count} rule${count === 1 ? '' : 's'}) is not used here: ${fileName(winner.source)} sets ${list} too, and its list replaces it (only deny lists are joined).`,
          key,
          file: loser.source.file,
          line: loser.line,
        }),
      );
    }
  }
  return out;
}
