import { describe, expect, it } from 'vitest';
import { isAppUrl, isSafeExternalUrl } from './url-guards';

describe('isAppUrl', () => {
  it.each([
    ['app://vtcode/index.html', true],
    ['app://vtcode/', true],
    ['app://evil/index.html', false],
    ['https://vtcode/', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s -> %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('isSafeExternalUrl', () => {
  it.each([
    ['https://github.com/vinhnx/vtcode', true],
    ['http://localhost:3000/', true],
    ['http://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://host/share', false],
    ['https://user:pw@example.com/', false],
    ['', false],
  ])('%s -> %s', (url, expected) => {
    expect(isSafeExternalUrl(url)).toBe(expected);
  });
});
