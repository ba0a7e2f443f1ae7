import { readFile } from 'node:fs/promises';
import { stringify } from 'smol-toml';
import { diffLines } from '../../shared/domain/diff-lines';
import type { HostAlwaysPreview, HostAlwaysTarget } from '../../shared/domain/network';
import { loadConfig } from '../config/config-loader';
import type { ConfigStore } from '../config/config-store';
import { parseToml, setTomlValue, findKeyLine } from '../config/toml-text';
import { decideHost, hostText } from '../runner/host-rules';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';

/*
 * "Always" for a host: add `{ domain, port }` to `[sandbox.network] allowlist` in the file the
 * person picks, shown as a diff first. Written as a `[[sandbox.network.allowlist]]` table at the
 * end of the file (or into the inline array when the file already writes the list inline), so
 * comments and the rest of the file stay exactly as they were.
 */

/** Why "Always" cannot be chosen for this file. */
export class HostAlwaysError extends Error {}

// VT Code's allowlist key takes host names and IPv4 addresses, not IPv6 literals.
const WRITABLE = /^[A-Za-z0-9.-]{1,253}$/;

interface Entry {
  readonly domain: string;
  readonly port: number;
}

function entryFor(host: string, port: number): Entry {
  const domain = host.toLowerCase();
  if (!WRITABLE.test(domain))
    throw new HostAlwaysError(
      `${hostText(host, port)} cannot be written to [sandbox.network] allowlist (it takes host names and IPv4 addresses); allow it once or for the session`,
    );
  return { domain, port };
}

function allowlistOf(table: Record<string, unknown>): unknown[] | null {
  const sandbox = table.sandbox as Record<string, unknown> | undefined;
  const network = sandbox?.network as Record<string, unknown> | undefined;
  const list = network?.allowlist;
  return Array.isArray(list) ? (list as unknown[]) : null;
}

function listed(list: readonly unknown[], entry: Entry): boolean {
  return list.some((e) => {
    if (typeof e === 'string') return e.toLowerCase() === entry.domain && entry.port === 443;
    const t = e as { domain?: unknown; port?: unknown };
    return (
      typeof t.domain === 'string' &&
      t.domain.toLowerCase() === entry.domain &&
      (t.port ?? 443) === entry.port
    );
  });
}

/** `text` with `entry` added to the allow-list (unchanged when it is there already). */
export function withAllowlistEntry(text: string, host: string, port: number): string {
  const entry = entryFor(host, port);
  const parsed =
    text.trim() === '' ? { ok: true as const, table: {} } : parseToml(text, 'vtcode.toml');
  if (!parsed.ok) throw new HostAlwaysError(`the file does not parse: ${parsed.issue.message}`);
  const existing = allowlistOf(parsed.table);
  if (existing && listed(existing, entry)) return text;
  // Written inline (`allowlist = [...]`, not `[[...]]` tables): extend that array where it is.
  const at = findKeyLine(text, 'sandbox.network', 'allowlist');
  if (existing && at !== null && !/^\s*\[/.test(text.split('\n')[at - 1] ?? ''))
    return setTomlValue(text, 'sandbox.network', 'allowlist', [...existing, entry]);
  const block = `[[sandbox.network.allowlist]]\n${stringify(entry).trimEnd()}\n`;
  const sep = text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  const candidate = `${text}${sep}${block}`;
  const check = parseToml(candidate, 'vtcode.toml');
  const after = check.ok ? allowlistOf(check.table) : null;
  if (after && after.length === (existing?.length ?? 0) + 1 && listed(after, entry))
    return candidate;
  // A layout the block cannot follow (e.g. `sandbox.network` written as a dotted key elsewhere).
  return setTomlValue(text, 'sandbox.network', 'allowlist', [...(existing ?? []), entry]);
}

function fileOf(store: ConfigStore, target: HostAlwaysTarget): string {
  const file =
    store.files.find((f) => f.layer === target) ??
    // `--config FILE` is the only file of a run that names one: it is the user's own.
    (target === 'user' ? store.files.find((f) => f.layer === 'explicit') : undefined);
  if (!file)
    throw new HostAlwaysError(
      target === 'workspace'
        ? 'this run has no workspace vtcode.toml'
        : 'this run has no user vtcode.toml',
    );
  return file.path;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** The change "Always" would make to `target`, and whether the host is allowed after it. */
export async function previewHostAlways(
  store: ConfigStore,
  target: HostAlwaysTarget,
  host: string,
  port: number,
): Promise<HostAlwaysPreview> {
  let file = '';
  try {
    file = fileOf(store, target);
    const before = await readText(file);
    const after = withAllowlistEntry(before, host, port);
    const { config, ok } = await loadConfig(store.files, new Map([[file, after]]));
    const rules = runnerSettingsFromConfig(config).network;
    const verdict = decideHost(rules, host, port);
    const effective = ok && verdict.decision === 'allow';
    const dropped = config.issues.find(
      (i) => i.file === file && i.key?.startsWith('sandbox.network.allowlist'),
    );
    const note = effective
      ? after === before
        ? 'already in this file'
        : null
      : dropped
        ? `the entry would be ignored: ${dropped.message}`
        : `the host would still not be allowed: ${verdict.reason}`;
    return {
      target,
      file,
      lines: after === before ? [] : diffLines(file, before, after),
      effective,
      note,
      refusal: null,
    };
  } catch (error) {
    if (!(error instanceof HostAlwaysError)) throw error;
    return { target, file, lines: [], effective: false, note: null, refusal: error.message };
  }
}

/** Write the entry (the file is re-read now, so the change is the one previewed on it). */
export async function applyHostAlways(
  store: ConfigStore,
  target: HostAlwaysTarget,
  host: string,
  port: number,
): Promise<{ readonly file: string; readonly note: string }> {
  const file = fileOf(store, target);
  entryFor(host, port);
  await store.editFile(file, (text) => withAllowlistEntry(text, host, port));
  return {
    file,
    note: `added [[sandbox.network.allowlist]] domain = "${host.toLowerCase()}", port = ${port} to ${file}`,
  };
}
