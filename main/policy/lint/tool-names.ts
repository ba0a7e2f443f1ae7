import type { LintFinding, LintRule } from '../../../shared/domain/policy-lint';
import type { ConfigLayerData } from '../../config/layer';
import { findKeyLine } from '../../config/toml-text';
import { APP_TOOLS, canonicalToolName, TOOL_ALIASES } from '../tool-names';
import { didYouMean, fileName, finding, fixFor, type LintOptions } from './lint-types';
import { VTCODE_TOOL_NAMES } from './vtcode-keys';

// VT Code's semantic permission names, matched without case (`Read`, `webfetch`).
const SEMANTIC = new Set(['read', 'write', 'edit', 'bash', 'webfetch', 'websearch']);
const DECISIONS = new Set(['allow', 'prompt', 'deny']);

function tableAt(table: unknown, path: readonly string[]): Record<string, unknown> | null {
  let node = table;
  for (const part of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'object' && node !== null && !Array.isArray(node)
    ? (node as Record<string, unknown>)
    : null;
}

/** Every name a tool may go by: the agent's, this app's, their older names, VT Code's. */
function allNames(options: LintOptions): Set<string> {
  return new Set([
    ...options.knownTools.map((t) => t.name),
    ...APP_TOOLS,
    ...Object.values(TOOL_ALIASES).flat(),
    ...VTCODE_TOOL_NAMES,
  ]);
}

/** VT Code knows the name (a tool, an MCP tool), though the agent here has no such tool. */
function vtcodeKnows(name: string): boolean {
  const canonical = canonicalToolName(name);
  return (
    VTCODE_TOOL_NAMES.has(name) ||
    (APP_TOOLS as readonly string[]).includes(canonical) ||
    /^mcp__[A-Za-z0-9_.-]+/.test(name)
  );
}

/**
 * `[tools.policies]` names that are no tool (a typo: warning, with "did you mean" and a rename as
 * the fix) or a tool only VT Code has (info: it changes nothing here).
 */
export function toolNameFindings(
  layers: readonly ConfigLayerData[],
  options: LintOptions,
): LintFinding[] {
  const agent = new Set(options.knownTools.map((t) => t.name));
  const names = allNames(options);
  const out: LintFinding[] = [];
  for (const layer of layers) {
    const policies = tableAt(layer.raw?.table, ['tools', 'policies']);
    if (!policies) continue;
    for (const [name, value] of Object.entries(policies)) {
      if (typeof value !== 'string' || !DECISIONS.has(value)) continue;
      const canonical = canonicalToolName(name);
      if (agent.has(canonical)) continue;
      const rule: LintRule = {
        section: 'tools.policies',
        list: name,
        entry: value,
        file: layer.source.file,
        layer: layer.source.layer,
        index: null,
        tool: null,
      };
      const where = {
        key: `tools.policies.${name}`,
        line: findKeyLine(layer.raw?.text ?? '', 'tools.policies', name),
      };
      if (vtcodeKnows(name)) {
        out.push(
          finding({
            severity: 'info',
            kind: 'tool-not-here',
            message: `[tools.policies] ${name} (${fileName(layer.source)}) names a tool this app does not have: it changes nothing here (VT Code reads it).`,
            rule,
            ...where,
          }),
        );
        continue;
      }
      const guess = didYouMean(name, names);
      const taken =
        guess !== null && layer.values.has(`tools.policies.${canonicalToolName(guess)}`);
      const decision = value as 'allow' | 'prompt' | 'deny';
      const fix =
        guess && !taken
          ? fixFor(layer.source.layer, `rename ${name} to ${guess}`, [
              { kind: 'tool-policy', tool: guess, value: decision },
              { kind: 'tool-policy', tool: name, value: null },
            ])
          : fixFor(layer.source.layer, `remove tools.policies.${name}`, [
              { kind: 'tool-policy', tool: name, value: null },
            ]);
      out.push(
        finding({
          severity: 'warning',
          kind: 'unknown-tool',
          message: `[tools.policies] ${name} (${fileName(layer.source)}) is not a tool name, so "${value}" applies to nothing${guess ? `. Did you mean ${guess}?` : '.'}`,
          rule,
          ...where,
          fix,
        }),
      );
    }
  }
  return out;
}

/** `[permissions]` rules whose tool name neither VT Code nor this app knows (`exec_comand(ls)`). */
export function permissionNameFindings(
  layers: readonly ConfigLayerData[],
  options: LintOptions,
): LintFinding[] {
  const names = allNames(options);
  const out: LintFinding[] = [];
  for (const layer of layers) {
    const permissions = tableAt(layer.raw?.table, ['permissions']);
    if (!permissions) continue;
    for (const list of ['allow', 'ask', 'deny'] as const) {
      const entries = permissions[list];
      if (!Array.isArray(entries)) continue;
      entries.forEach((entry: unknown, index) => {
        if (typeof entry !== 'string') return;
        const name = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(?:\(|$)/.exec(entry)?.[1];
        if (!name || names.has(name) || SEMANTIC.has(name.toLowerCase())) return;
        if (/^mcp__/.test(name) || vtcodeKnows(name)) return;
        const guess = didYouMean(name, [...names, ...SEMANTIC]);
        out.push(
          finding({
            severity: 'warning',
            kind: 'unknown-tool',
            message: `[permissions] ${list} \`${entry}\` (${fileName(layer.source)}) names no tool (${name}), so it applies to nothing${guess ? `. Did you mean ${guess}?` : '.'}`,
            rule: {
              section: 'permissions',
              list,
              entry,
              file: layer.source.file,
              layer: layer.source.layer,
              index,
              tool: null,
            },
            key: `permissions.${list}`,
            line: findKeyLine(layer.raw?.text ?? '', 'permissions', list),
          }),
        );
      });
    }
  }
  return out;
}
