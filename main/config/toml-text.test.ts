import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { removeTomlValue, setTomlTables, setTomlValue } from './toml-text';

describe('removeTomlValue', () => {
  it('removes one key, a multi-line value included, and keeps the rest as written', () => {
    const text =
      '# top\n[agent]\nprovider = "openai" # mine\nlist = [\n  "a",\n  "b",\n]\ndefault_model = "gpt"\n';
    const once = removeTomlValue(text, 'agent', 'provider');
    expect(once).toBe('# top\n[agent]\nlist = [\n  "a",\n  "b",\n]\ndefault_model = "gpt"\n');
    expect(removeTomlValue(once, 'agent', 'list')).toBe('# top\n[agent]\ndefault_model = "gpt"\n');
  });

  it('leaves text without the key alone', () => {
    expect(removeTomlValue('[agent]\nx = 1\n', 'agent', 'provider')).toBe('[agent]\nx = 1\n');
    expect(removeTomlValue('', 'agent', 'provider')).toBe('');
  });
});

describe('setTomlTables', () => {
  it('replaces every [[key]] block and appends the new ones after the rest', () => {
    const text =
      '# notes\n[[custom_providers]]\nname = "a"\nbase_url = "http://a"\n\n[mcp]\nenabled = true\n\n[[custom_providers]]\nname = "b"\n';
    const next = setTomlTables(text, 'custom_providers', [{ name: 'c', base_url: 'http://c' }]);
    expect(next.startsWith('# notes\n')).toBe(true);
    expect(parse(next)).toEqual({
      mcp: { enabled: true },
      custom_providers: [{ name: 'c', base_url: 'http://c' }],
    });
    expect(next).toContain('[[custom_providers]]\nname = "c"');
  });

  it('removes them all for an empty list, and writes a fresh file', () => {
    const gone = setTomlTables(
      '[[custom_providers]]\nname = "a"\n\n[agent]\nprovider = "x"\n',
      'custom_providers',
      [],
    );
    expect(parse(gone)).toEqual({ agent: { provider: 'x' } });
    const fresh = setTomlTables('', 'custom_providers', [{ name: 'a' }, { name: 'b' }]);
    expect(parse(fresh)).toEqual({ custom_providers: [{ name: 'a' }, { name: 'b' }] });
  });

  it('re-serialises rather than write something that reads back differently', () => {
    // An inline array cannot be cut out line by line: the result must still be exact.
    const text = 'custom_providers = [{ name = "a" }]\n[agent]\nprovider = "x"\n';
    const next = setTomlTables(text, 'custom_providers', [{ name: 'b' }]);
    expect(parse(next)).toEqual({ agent: { provider: 'x' }, custom_providers: [{ name: 'b' }] });
  });
});

describe('setTomlValue', () => {
  it('adds a key after the last key of its section, not after the next section’s comment', () => {
    const text = '[agent]\nprovider = "x"\n\n# the sandbox\n[sandbox]\nenabled = true\n';
    expect(setTomlValue(text, 'agent', 'default_model', 'm')).toBe(
      '[agent]\nprovider = "x"\ndefault_model = "m"\n\n# the sandbox\n[sandbox]\nenabled = true\n',
    );
  });
});
