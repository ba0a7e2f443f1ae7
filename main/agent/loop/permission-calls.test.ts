import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineFromToml, tempDir } from '../../policy/test-helpers';
import { agentTools } from '../tools/registry';
import { decideCall } from './tool-executor';

const ws = tempDir('vt-perm-calls-');
const home = tempDir('vt-perm-calls-home-');
mkdirSync(join(ws, 'docs'));
mkdirSync(join(ws, 'src'));
writeFileSync(join(ws, 'docs', 'a.md'), 'a\n');
writeFileSync(join(ws, 'src', '.env'), 'K=1\n');

const tools = agentTools({ webFetch: true });
const patch = (...files: string[]) =>
  `*** Begin Patch\n${files.map((f) => `*** Add File: ${f}\n+x\n`).join('')}*** End Patch`;

async function decide(toml: string, tool: string, args: unknown) {
  const engine = await engineFromToml(toml, ws, home);
  const t = tools.get(tool);
  if (!t) throw new Error(`no ${tool}`);
  return decideCall(engine, t, t.subjects(t.schema.parse(args)));
}

const perms = (lists: Record<string, string[]>, extra = '') =>
  `${extra}[permissions]\n${Object.entries(lists)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join('\n')}\n`;

describe('[permissions] rules on whole tool calls', () => {
  it.each([
    // A path allow stands in for the tool's default prompt, for every path of the call.
    [{ allow: ['apply_patch(/docs/**)'] }, 'apply_patch', { input: patch('docs/b.md') }, 'allow'],
    [
      { allow: ['apply_patch(/docs/**)'] },
      'apply_patch',
      { input: patch('docs/b.md', 'src/c.ts') },
      'prompt',
    ],
    [
      { allow: ['apply_patch(/docs/**)'] },
      'write_file',
      { path: 'docs/b.md', content: 'x' },
      'allow',
    ],
    [{ allow: ['write(/)'] }, 'write_file', { path: 'src/.env', content: 'x' }, 'prompt'],
    [{ allow: ['write(/)'] }, 'write_file', { path: '.git/config', content: 'x' }, 'deny'],
    [
      { ask: ['apply_patch(/docs/**)'], allow: ['apply_patch'] },
      'apply_patch',
      { input: patch('docs/b.md') },
      'prompt',
    ],
    [
      { deny: ['edit(/docs/**)'] },
      'edit_file',
      { path: 'docs/a.md', old_str: 'a', new_str: 'b' },
      'deny',
    ],
    [{ deny: ['read(/docs/**)'] }, 'read_file', { path: 'docs/a.md' }, 'deny'],
    [{ ask: ['read(./docs/**)'] }, 'read_file', { path: 'docs/a.md' }, 'prompt'],
    [
      { allow: ['WebFetch(domain:example.com)'] },
      'web_fetch',
      { url: 'https://docs.example.com/x' },
      'allow',
    ],
    [
      { allow: ['WebFetch(domain:example.com)'] },
      'web_fetch',
      { url: 'https://example.org/' },
      'prompt',
    ],
    [
      { deny: ['WebFetch(domain:example.com)'], allow: ['webfetch'] },
      'web_fetch',
      { url: 'https://example.com/' },
      'deny',
    ],
    // The tool is allowed, and the host is under the network policy as a command's would be.
    [{ allow: ['webfetch'] }, 'web_fetch', { url: 'https://example.org/' }, 'prompt'],
  ])('%j: %s %j is %s', async (lists, tool, args, decision) => {
    expect((await decide(perms(lists), tool, args)).decision).toBe(decision);
  });

  it('an explicit prompt for the tool still asks', async () => {
    const v = await decide(
      perms({ allow: ['apply_patch(/docs/**)'] }, '[tools.policies]\napply_patch = "prompt"\n'),
      'apply_patch',
      { input: patch('docs/b.md') },
    );
    expect(v.decision).toBe('prompt');
  });

  it('names the rule that allowed the call', async () => {
    const v = await decide(perms({ allow: ['apply_patch(/docs/**)'] }), 'apply_patch', {
      input: patch('docs/b.md'),
    });
    expect(v.rule).toMatchObject({
      kind: 'permission',
      entry: 'apply_patch(/docs/**)',
      section: 'permissions.allow',
    });
  });
});

describe('[permissions] path rules over a default', () => {
  it.each([
    ['[tools]\ndefault_policy = "deny"\n', { allow: ['apply_patch(/docs/**)'] }, 'allow'],
    ['[tools]\ndefault_policy = "deny"\n', { ask: ['apply_patch(/docs/**)'] }, 'prompt'],
    ['[tools]\ndefault_policy = "deny"\n', { allow: ['apply_patch(/src/**)'] }, 'deny'],
    ['[tools.policies]\napply_patch = "deny"\n', { allow: ['apply_patch(/docs/**)'] }, 'deny'],
    ['', { deny: ['apply_patch'], allow: ['apply_patch(/docs/**)'] }, 'deny'],
    ['[tools.policies]\napply_patch = "allow"\n', { ask: ['apply_patch(/docs/**)'] }, 'prompt'],
  ])('%s + %j: a patch to docs/ is %s', async (extra, lists, decision) => {
    const v = await decide(perms(lists, extra), 'apply_patch', { input: patch('docs/b.md') });
    expect(v.decision).toBe(decision);
  });

  it('a web fetch under a default deny is allowed for a host a rule allows', async () => {
    const toml = perms(
      { allow: ['WebFetch(domain:example.com)'] },
      '[tools]\ndefault_policy = "deny"\n',
    );
    expect((await decide(toml, 'web_fetch', { url: 'https://example.com/' })).decision).toBe(
      'allow',
    );
    expect((await decide(toml, 'web_fetch', { url: 'https://example.org/' })).decision).toBe(
      'deny',
    );
  });
});
