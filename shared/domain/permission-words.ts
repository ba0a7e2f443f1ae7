import {
  parsePermissionRule,
  type PermissionList,
  type PermissionRule,
} from './permission-grammar';

/** What a rule covers, in words: "changing docs/** (from the workspace root)". */
export function permissionSubject(rule: PermissionRule): string {
  switch (rule.kind) {
    case 'shell':
      if (rule.pattern === null) return 'every command';
      if (rule.pattern.endsWith(':*'))
        return `the command “${rule.pattern.slice(0, -2).trimEnd()}” with or without more words`;
      return rule.pattern.includes('*') || /[?[]/.test(rule.pattern)
        ? `commands matching “${rule.pattern}” (* stands for any text)`
        : `the command “${rule.pattern}” exactly`;
    case 'tools':
      if (rule.group === 'read')
        return 'reading and searching files (read_file, list_files, code_search)';
      if (rule.group === 'write') return 'changing files (write_file, edit_file, apply_patch)';
      if (rule.group === 'web_fetch') return 'fetching web pages (web_fetch)';
      if (rule.group === 'shell') return 'every command';
      return `the ${rule.tools.join(', ')} tool`;
    case 'path': {
      const verb = rule.group === 'read' ? 'reading or searching' : 'changing';
      return `${verb} ${pathWhere(rule)}`;
    }
    case 'host':
      return rule.subdomainsOnly
        ? `fetching from subdomains of ${rule.domain}`
        : `fetching from ${rule.domain} and its subdomains`;
    case 'mcp':
      if (rule.server === null) return 'every MCP tool';
      if (rule.tool === null) return `every tool of the MCP server ${rule.server}`;
      return `the MCP tool ${rule.tool} of the server ${rule.server}`;
  }
}

function pathWhere(rule: Extract<PermissionRule, { kind: 'path' }>): string {
  const p = rule.pattern;
  switch (rule.anchor) {
    case 'absolute':
      return p === '' ? 'any file on this computer' : `/${p} (an absolute path)`;
    case 'home':
      return p === '' ? 'anything in your home folder' : `~/${p} (in your home folder)`;
    case 'workspace':
      return p === '' ? 'anything in the workspace' : `${p} (from the workspace root)`;
    case 'relative':
      return p.includes('/')
        ? `${p} (from the workspace root)`
        : `anything named ${p} in any folder of the workspace`;
  }
}

const EFFECT: Readonly<Record<PermissionList | 'auto', string>> = {
  allow: 'Allows',
  ask: 'Asks before',
  auto: 'Asks before',
  deny: 'Denies',
};

/**
 * A `[permissions]` rule as a sentence: "Denies changing .git/** (from the workspace root)", or
 * why it is not understood. `auto` rules ask (this app has no classifier to review them).
 */
export function permissionInWords(entry: string, list: PermissionList | 'auto'): string {
  const parsed = parsePermissionRule(entry);
  if (!parsed.ok) return `Not understood, so ignored: ${parsed.why}`;
  const sentence = `${EFFECT[list]} ${permissionSubject(parsed.rule)}`;
  const auto =
    list === 'auto' ? ' (VT Code reviews these with a classifier; this app asks you)' : '';
  return `${sentence}${auto}${parsed.warning ? `. Note: ${parsed.warning}` : ''}`;
}
