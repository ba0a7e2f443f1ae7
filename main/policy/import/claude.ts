import { join, sep } from 'node:path';
import type { PermissionRuleList } from '../../../shared/domain/policy-edit';
import { parsePermissionRule } from '../../../shared/domain/permission-grammar';
import { prefixEntries, runsAnything, starPattern } from './shell-words';
import {
  clip,
  mapped,
  notMapped,
  type ImportContext,
  type ImportText,
  type Mapping,
  type ReadRule,
} from './types';

const LISTS: readonly PermissionRuleList[] = ['allow', 'ask', 'deny'];

/** Claude Code's file tools and the VT Code name each becomes. */
const PATH_TOOLS: Readonly<Record<string, string>> = {
  Read: 'read',
  Edit: 'edit',
  MultiEdit: 'edit',
  NotebookEdit: 'edit',
  Write: 'write',
};

const BARE_TOOLS: Readonly<Record<string, string>> = {
  WebSearch: 'web_search',
  TodoWrite: 'task_tracker',
  Task: 'agent',
  Agent: 'agent',
};

/** Read a Claude Code settings file: every `permissions` rule, `additionalDirectories`, `defaultMode`. */
export function readClaudeSettings(src: ImportText, ctx: ImportContext): ReadRule[] {
  const at = (where: string, text: string, mapping: Mapping): ReadRule => ({
    source: { file: src.file, where, text: clip(text) },
    mapping,
  });
  let data: unknown;
  try {
    data = JSON.parse(src.text);
  } catch (error) {
    // The parser's message can quote the text: say only where it stopped.
    const pos = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const line = pos === undefined ? null : src.text.slice(0, Number(pos)).split('\n').length;
    return [
      at('file', '(the whole file)', notMapped(`not valid JSON${line ? ` (line ${line})` : ''}`)),
    ];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return [at('file', '(the whole file)', notMapped('a settings file is a JSON object'))];
  const permissions = (data as Record<string, unknown>).permissions;
  if (permissions === undefined) return [];
  if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions))
    return [
      at(
        'permissions',
        JSON.stringify(permissions) ?? '',
        notMapped('"permissions" must be an object'),
      ),
    ];
  const out: ReadRule[] = [];
  for (const [key, value] of Object.entries(permissions as Record<string, unknown>)) {
    const list = LISTS.find((l) => l === key);
    if (list) {
      if (!Array.isArray(value)) {
        out.push(
          at(
            `permissions.${key}`,
            JSON.stringify(value) ?? '',
            notMapped('must be an array of rule strings'),
          ),
        );
        continue;
      }
      value.forEach((rule: unknown, i) => {
        const where = `permissions.${key}[${i}]`;
        out.push(
          typeof rule === 'string'
            ? at(where, rule, mapClaudeRule(rule, list, ctx))
            : at(where, JSON.stringify(rule) ?? '', notMapped('not a rule string')),
        );
      });
    } else if (key === 'additionalDirectories' && Array.isArray(value)) {
      value.forEach((dir: unknown, i) =>
        out.push(
          at(
            `permissions.additionalDirectories[${i}]`,
            typeof dir === 'string' ? dir : (JSON.stringify(dir) ?? ''),
            notMapped(
              'this app keeps the agent inside the workspace: open that folder as a workspace of its own',
            ),
          ),
        ),
      );
    } else if (key === 'defaultMode') {
      out.push(at('permissions.defaultMode', JSON.stringify(value) ?? '', defaultMode(value)));
    } else {
      out.push(
        at(
          `permissions.${key}`,
          JSON.stringify(value) ?? '',
          notMapped('not a permission rule vtcode.toml has'),
        ),
      );
    }
  }
  return out;
}

function defaultMode(value: unknown): Mapping {
  switch (value) {
    case 'bypassPermissions':
      return notMapped(
        'Claude Code was set to skip every permission check; this app has no such setting and imports nothing for it',
        'the source ran every tool call without asking',
      );
    case 'acceptEdits':
      return notMapped('a mode, not a rule: choose the Auto-edit mode for a session in the app');
    case 'plan':
      return notMapped('a mode, not a rule: choose the Plan mode for a session in the app');
    case 'default':
      return notMapped('the default mode: nothing to import');
    default:
      return notMapped(`the mode ${JSON.stringify(value)} has no vtcode.toml setting`);
  }
}

/** Map one Claude Code rule string onto `[permissions]` entries of the same list. */
export function mapClaudeRule(raw: string, list: PermissionRuleList, ctx: ImportContext): Mapping {
  const text = raw.trim();
  if (text === '' || /[\r\n\0]/.test(text)) return notMapped('not a rule');
  if (text.startsWith('mcp__')) return mapMcp(text, list);
  const open = text.indexOf('(');
  const name = open < 0 ? text : text.slice(0, open).trim();
  if (open >= 0 && !text.endsWith(')')) return notMapped("a rule with '(' must end with ')'");
  const spec = open < 0 ? null : text.slice(open + 1, -1).trim();
  if (name === 'Bash') return mapBash(spec, list);
  const pathTool = PATH_TOOLS[name];
  if (pathTool)
    return spec === null || spec === '*' || spec === ''
      ? checked(pathTool, list)
      : mapPath(pathTool, spec, list, ctx);
  if (name === 'WebFetch') {
    if (spec === null || spec === '' || spec === '*') return checked('webfetch', list);
    if (!spec.startsWith('domain:'))
      return notMapped('only WebFetch(domain:HOST) has a vtcode.toml form');
    const m = checked(`WebFetch(${spec})`, list);
    return m.ok
      ? {
          ...m,
          note: 'VT Code also matches subdomains of the host (api.example.com for example.com)',
        }
      : m;
  }
  const bare = BARE_TOOLS[name];
  if (bare) {
    if (spec !== null)
      return notMapped(
        `vtcode.toml cannot name part of ${name}; only ${name} as a whole (${bare})`,
      );
    return checked(bare, list);
  }
  if (name === 'Glob' || name === 'Grep' || name === 'LS')
    return notMapped(
      `vtcode.toml has no rule for ${name} alone: its search tool is one of the reading tools, so use Read (read) to cover reading and searching`,
    );
  return notMapped(`"${name}" is a Claude Code tool vtcode.toml has no rule for`);
}

/** A mapped entry, checked against the grammar it is written in. */
function checked(
  entry: string,
  list: PermissionRuleList,
  note: string | null = null,
  warning: string | null = null,
): Mapping {
  const parsed = parsePermissionRule(entry);
  if (!parsed.ok) return notMapped(`it would read as ${entry}, which is not a rule: ${parsed.why}`);
  return mapped([{ list, entry }], note, warning);
}

function mapMcp(text: string, list: PermissionRuleList): Mapping {
  const rest = text.slice(5);
  const tool = rest.includes('__') ? rest.slice(rest.indexOf('__') + 2) : null;
  if (tool !== null && tool !== '*' && tool.includes('*'))
    return notMapped(
      'VT Code reads only a whole * after mcp__server__: write the tools out, or use mcp__server__*',
    );
  return checked(text, list);
}

function mapBash(spec: string | null, list: PermissionRuleList): Mapping {
  const anything =
    'runs any command: every command the agent writes is allowed (the built-in checks still apply)';
  if (spec === null || spec === '' || spec === '*')
    return mapped([{ list, entry: 'exec_command' }], null, list === 'allow' ? anything : null);
  // Claude's `prefix:*` and a lone trailing ` *` both mean "these words, alone or with more".
  const stars = (spec.match(/\*/g) ?? []).length;
  const prefix = spec.endsWith(':*')
    ? spec.slice(0, -2).trimEnd()
    : spec.endsWith(' *') && stars === 1
      ? spec.slice(0, -2).trimEnd()
      : null;
  if (prefix !== null && prefix.includes('*'))
    return notMapped('a prefix rule (:*) with another * in it has no equivalent in VT Code’s glob');
  const entries =
    prefix === null ? [`exec_command(${starPattern(spec)})`] : prefixEntries(starPattern(prefix));
  for (const entry of entries) {
    const parsed = parsePermissionRule(entry);
    if (!parsed.ok)
      return notMapped(`it would read as ${entry}, which is not a rule: ${parsed.why}`);
  }
  const why = list === 'allow' ? runsAnything((prefix ?? spec).split(/\s+/)[0] ?? '') : null;
  return mapped(
    entries.map((entry) => ({ list, entry })),
    prefix !== null ? 'as two rules: the words alone, and the words followed by more' : null,
    why,
  );
}

/**
 * A Read/Edit/Write path rule. Claude Code and VT Code share the anchors (`//abs`, `~/home`,
 * `/root`, `./rel`). An allow for a place outside the workspace changes nothing here (the agent
 * never reaches there), so it is not mapped; deny and ask rules are kept as written.
 */
function mapPath(
  tool: string,
  spec: string,
  list: PermissionRuleList,
  ctx: ImportContext,
): Mapping {
  const entry = `${tool}(${spec})`;
  const parsed = parsePermissionRule(entry);
  if (!parsed.ok) return notMapped(`it would read as ${entry}, which is not a rule: ${parsed.why}`);
  const rule = parsed.rule;
  if (
    list !== 'allow' ||
    rule.kind !== 'path' ||
    (rule.anchor !== 'absolute' && rule.anchor !== 'home')
  )
    return mapped([{ list, entry }]);
  const literal: string[] = [];
  for (const part of rule.pattern === '' ? [] : rule.pattern.split('/')) {
    if (/[*?[]/.test(part)) break;
    literal.push(part);
  }
  const place = join(rule.anchor === 'home' ? ctx.home : sep, ...literal);
  const within = (a: string, b: string) => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
  if (ctx.workspaces.some((ws) => within(place, ws))) return mapped([{ list, entry }]);
  if (ctx.workspaces.some((ws) => within(ws, place)))
    return mapped([{ list, entry }], 'only its part inside the workspace has an effect here');
  return notMapped(
    `${place} is outside the workspace: this app's tools never reach outside it, so this allow would change nothing`,
  );
}
