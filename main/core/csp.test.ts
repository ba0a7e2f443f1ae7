import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp';

describe('Content-Security-Policy', () => {
  it('index.html carries the same policy as the hosts send (frame-ancestors only works as a header)', () => {
    const html = readFileSync(
      join(import.meta.dirname, '..', '..', 'renderer', 'index.html'),
      'utf8',
    );
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    const header = CONTENT_SECURITY_POLICY.split('; ').filter(
      (d) => !d.startsWith('frame-ancestors'),
    );
    expect(meta?.split('; ').sort()).toEqual(header.sort());
  });

  it('allows no inline or remote script', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:/);
  });

  it('allows inline styles only (xterm.js creates them) and nothing else inline', () => {
    const inline = CONTENT_SECURITY_POLICY.split('; ').filter((d) => d.includes('unsafe-inline'));
    expect(inline).toEqual(["style-src 'self' 'unsafe-inline'"]);
  });
});
