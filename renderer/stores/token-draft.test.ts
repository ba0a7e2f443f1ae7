import { describe, expect, it } from 'vitest';
import { checkTokenDraft, splitHosts, type TokenDraft } from './token-draft';

const draft: TokenDraft = {
  name: 'github',
  envVar: 'GH_TOKEN',
  hosts: 'api.github.com, uploads.github.com',
  testPath: '/user',
  value: 'ghp_rendererNeverKeeps0123456789abcdJKLM',
};

describe('checkTokenDraft', () => {
  it('accepts a complete draft, and one without a test path', () => {
    expect(checkTokenDraft(draft)).toEqual({});
    expect(checkTokenDraft({ ...draft, testPath: '  ' })).toEqual({});
  });

  it.each<[string, Partial<TokenDraft>, keyof TokenDraft]>([
    ['no name', { name: '' }, 'name'],
    ['a reserved variable', { envVar: 'HTTPS_PROXY' }, 'envVar'],
    ['no hosts', { hosts: ' , ' }, 'hosts'],
    ['a URL for a host', { hosts: 'https://api.github.com' }, 'hosts'],
    ['a test path without a slash', { testPath: 'user' }, 'testPath'],
    ['no token', { value: '  ' }, 'value'],
  ])('names the one field at fault for %s', (_name, change, field) => {
    expect(Object.keys(checkTokenDraft({ ...draft, ...change }))).toEqual([field]);
  });
});

describe('splitHosts', () => {
  it('splits hosts on commas and spaces', () => {
    expect(splitHosts(' a.example.com,b.example.com  c.example.com, ')).toEqual([
      'a.example.com',
      'b.example.com',
      'c.example.com',
    ]);
  });
});
