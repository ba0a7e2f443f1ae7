import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  NO_TOKENS,
  hostPatternsOverlap,
  tlsTermination,
  withTokenValues,
  wrapCredentials,
  type MaskedTokenSet,
} from './masked-tokens';

const TOKEN = 'ghp_maskedTokensUnit0123456789abcdefXYZ';
const set: MaskedTokenSet = {
  revision: 'r1',
  tokens: [
    { envVar: 'GH_TOKEN', hosts: ['api.github.com', '[::1]'], value: TOKEN },
    { envVar: 'NPM_TOKEN', hosts: ['*.npmjs.org'], value: 'npm_0123456789abcdef' },
  ],
};

describe('hostPatternsOverlap', () => {
  it.each([
    ['api.github.com', 'api.github.com', true],
    ['API.github.com', 'api.github.com', true],
    ['api.github.com', 'github.com', false],
    ['*.github.com', 'api.github.com', true],
    ['api.github.com', '*.github.com', true],
    ['*.github.com', 'github.com', false],
    ['*.a.example.com', '*.example.com', true],
    ['*.example.com', '*.example.org', false],
    ['*', 'anything.test', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.1', '127.0.0.2', false],
    ['evilgithub.com', '*.github.com', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(hostPatternsOverlap(a, b)).toBe(expected);
  });
});

describe('wrapCredentials', () => {
  it('masks each variable, injected at its own hosts only, IPv6 without brackets', () => {
    expect(wrapCredentials(set)).toEqual({
      envVars: [
        { name: 'GH_TOKEN', mode: 'mask', injectHosts: ['api.github.com', '::1'] },
        { name: 'NPM_TOKEN', mode: 'mask', injectHosts: ['*.npmjs.org'] },
      ],
    });
    expect(JSON.stringify(wrapCredentials(set))).not.toContain(TOKEN);
  });
});

describe('tlsTermination', () => {
  it('is off without tokens', () => {
    expect(tlsTermination(NO_TOKENS, ['api.github.com'])).toBeUndefined();
  });

  it('terminates only what a bound host shares with the allow-list', () => {
    const tls = tlsTermination(set, [
      'api.github.com:443',
      '*.github.com',
      'registry.npmjs.org',
      'pypi.org:443',
      '[::1]:8080',
      '10.0.0.1',
    ]);
    expect(tls?.excludeDomains).toEqual(['pypi.org', '10.0.0.1']);
    expect(tls?.extraCaCertPaths).toContain('/etc/ssl/certs/ca-certificates.crt');
  });

  it('terminates everything under allow_all', () => {
    expect(tlsTermination(set, ['*'])?.excludeDomains).toEqual([]);
  });
});

describe('withTokenValues', () => {
  it('shows the value to process.env readers inside the call and nowhere after', () => {
    const before = process.env;
    const seen = withTokenValues(set, () => process.env.GH_TOKEN);
    expect(seen).toBe(TOKEN);
    expect(process.env).toBe(before);
    expect(process.env.GH_TOKEN).not.toBe(TOKEN);
  });

  it('puts the environment back when the call throws', () => {
    const before = process.env;
    expect(() =>
      withTokenValues(set, () => {
        throw new Error('wrap failed');
      }),
    ).toThrow('wrap failed');
    expect(process.env).toBe(before);
  });

  it('hands no child process started inside the call the value', () => {
    const env = withTokenValues(set, () => ({
      spawned: execFileSync('env', { encoding: 'utf8' }),
      spawnedSync: spawnSync('sh', ['-c', 'echo "${GH_TOKEN:-unset}"'], { encoding: 'utf8' })
        .stdout,
      keys: Object.keys(process.env),
      copy: JSON.stringify({ ...process.env }),
    }));
    expect(env.spawned).not.toContain(TOKEN);
    expect(env.spawnedSync.trim()).not.toBe(TOKEN);
    expect(env.keys).not.toContain('GH_TOKEN');
    expect(env.copy).not.toContain(TOKEN);
  });

  it('keeps the environment as it is without tokens', () => {
    const before = process.env;
    expect(withTokenValues(NO_TOKENS, () => process.env)).toBe(before);
  });
});
