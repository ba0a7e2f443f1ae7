import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

function loadConfig(): Record<string, unknown> {
  return parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
}

function validator() {
  const schema = JSON.parse(
    readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  return ajv.compile(schema);
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own configuration schema", () => {
    const validate = validator();
    const ok = validate(loadConfig());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check catches a wrong key (the test can fail)', () => {
    const validate = validator();
    expect(validate({ ...loadConfig(), electronFuses: { runAsNod: false } })).toBe(false);
  });

  it('flips the security fuses', () => {
    expect(loadConfig().electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('targets AppImage + deb, a hardened dmg and nsis, with native modules unpacked', () => {
    const config = loadConfig() as {
      linux: { target: string[] };
      mac: { target: string[]; hardenedRuntime: boolean };
      win: { target: string[] };
      asarUnpack: string[];
    };
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac).toMatchObject({ target: ['dmg'], hardenedRuntime: true });
    expect(config.win.target).toEqual(['nsis']);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/keytar/**', 'node_modules/node-pty/**']),
    );
  });

  it('points at icons and entitlements that exist', () => {
    const config = loadConfig() as {
      linux: { icon: string };
      mac: { icon: string; entitlements: string };
      win: { icon: string };
    };
    for (const file of [
      config.linux.icon,
      config.mac.icon,
      config.win.icon,
      config.mac.entitlements,
    ]) {
      expect(() => readFileSync(join(ROOT, file))).not.toThrow();
    }
  });
});
