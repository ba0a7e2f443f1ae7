import type { PathOp, RuleRef } from '../../shared/domain/policy';
import {
  hostMatches,
  mcpToolName,
  parsePermissionRule,
  type PermissionRule,
} from '../../shared/domain/permission-grammar';
import type { ListEntry, VtcodeConfig } from '../config/effective';
import { compilePathRule, type PathMatcher, type PathRoots } from './path-glob';

/** The first rule of each list that matched one subject (deny, then ask, then allow decide). */
export interface PermissionMatches {
  readonly deny: RuleRef | null;
  readonly ask: RuleRef | null;
  readonly allow: RuleRef | null;
}

export const NO_MATCH: PermissionMatches = { deny: null, ask: null, allow: null };

type Effect = keyof PermissionMatches;

interface Compiled {
  readonly effect: Effect;
  readonly ref: RuleRef;
  readonly rule: PermissionRule;
  readonly path: PathMatcher | null;
}

/** The `[permissions]` rules of one effective config, compiled for the engine. */
export interface PermissionSet {
  /** Rules that name the tool as a whole (bare names, groups, MCP names); `tool` is canonical. */
  tool(tool: string): PermissionMatches;
  /**
   * Path rules for reading or writing tools. Deny and ask rules match the path as written
   * (lexical) or as resolved; an allow rule only the resolved real path, so a symlink never
   * carries an allow somewhere else.
   */
  path(op: PathOp, lexical: string, resolved: string): PermissionMatches;
  /** `WebFetch(domain:...)` rules for one host. */
  host(host: string): PermissionMatches;
  /** Shell rules (`exec_command(...)`, bare `exec_command`) with their refs, for the command rules. */
  readonly shell: readonly {
    readonly effect: Effect;
    readonly ref: RuleRef;
    readonly pattern: string | null;
  }[];
}

/** The lists in the order they are read; `auto` rules ask (no classifier here). */
function listsOf(
  config: VtcodeConfig,
): { effect: Effect; section: string; entries: readonly ListEntry[] }[] {
  const p = config.permissions;
  return [
    { effect: 'deny', section: 'permissions.deny', entries: p.deny },
    { effect: 'ask', section: 'permissions.ask', entries: p.ask },
    { effect: 'ask', section: 'permissions.auto', entries: p.auto },
    { effect: 'allow', section: 'permissions.allow', entries: p.allow },
  ];
}

/** Compile the `[permissions]` lists; rules that do not parse are left out (layer.ts warned). */
export function compilePermissions(config: VtcodeConfig, roots: PathRoots): PermissionSet {
  const all: Compiled[] = [];
  for (const { effect, section, entries } of listsOf(config)) {
    for (const e of entries) {
      const parsed = parsePermissionRule(e.entry);
      if (!parsed.ok) continue;
      const rule = parsed.rule;
      const ref: RuleRef = { kind: 'permission', entry: e.entry, section, source: e.source };
      all.push({
        effect,
        ref,
        rule,
        path: rule.kind === 'path' ? compilePathRule(rule, roots, effect) : null,
      });
    }
  }
  const first = (test: (c: Compiled) => boolean): PermissionMatches => {
    const out: { deny: RuleRef | null; ask: RuleRef | null; allow: RuleRef | null } = {
      deny: null,
      ask: null,
      allow: null,
    };
    for (const c of all) if (out[c.effect] === null && test(c)) out[c.effect] = c.ref;
    return out;
  };
  return {
    tool: (tool) => first((c) => namesTool(c.rule, tool)),
    path: (op, lexical, resolved) =>
      first((c) => {
        if (c.rule.kind !== 'path' || c.path === null) return false;
        if (c.rule.group !== (op === 'read' ? 'read' : 'write')) return false;
        return c.path.matches(resolved) || (c.effect !== 'allow' && c.path.matches(lexical));
      }),
    host: (host) => first((c) => c.rule.kind === 'host' && hostMatches(c.rule, host)),
    shell: all.flatMap((c) =>
      c.rule.kind === 'shell' ? [{ effect: c.effect, ref: c.ref, pattern: c.rule.pattern }] : [],
    ),
  };
}

function namesTool(rule: PermissionRule, tool: string): boolean {
  switch (rule.kind) {
    case 'tools':
      return rule.tools.includes(tool);
    case 'shell':
      return rule.pattern === null && tool === 'exec_command';
    case 'mcp': {
      const name = mcpToolName(tool);
      if (!name) return false;
      if (rule.server === null) return true;
      return name.server === rule.server && (rule.tool === null || name.tool === rule.tool);
    }
    case 'path':
    case 'host':
      return false;
  }
}
