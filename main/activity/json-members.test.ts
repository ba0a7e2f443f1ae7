import { describe, expect, it } from 'vitest';
import { findMembers, MemberKeys, memberText, memberValue } from './json-members';

const KEYS = new MemberKeys(['id', 'subjects', 'policy', 'note', 'n']);

/** What findMembers reads, member by member, compared with JSON.parse of the whole. */
function read(text: string, keys = KEYS): Record<string, unknown> | null {
  const buf = Buffer.from(text);
  const ranges = keys.ranges();
  if (!findMembers(buf, 0, buf.length - 1, keys, ranges)) return null;
  const out: Record<string, unknown> = {};
  keys.names.forEach((name, slot) => {
    const value = memberValue(buf, ranges, slot);
    if (value !== undefined) out[name] = value;
  });
  return out;
}

function pick(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => KEYS.names.includes(k)));
}

describe('findMembers', () => {
  it.each([
    { id: 'a', subjects: [{ kind: 'command', command: 'ls' }], policy: { decision: 'allow' } },
    { v: 1, id: 'quote " and \\ backslash', other: '}]{[', note: null, n: 42 },
    { before: { id: 'nested, not top level' }, id: 'top' },
    { id: 'ünïcödé ✓ 🚀', subjects: ['"}', '\\"', '\\\\'], policy: { a: [[{}], []] } },
    { id: '\u0000\u001f control', note: 'line\nbreak\ttab', n: -1.5e3 },
    { x: true, y: false, z: null, id: '' },
    {},
  ])('reads what JSON.parse reads: %j', (value) => {
    const text = JSON.stringify(value);
    expect(read(text)).toEqual(pick(value));
  });

  it('gives the JSON text of a member, and stops at the limit of a sealed line', () => {
    const text = '{"id":"x","subjects":[{"kind":"path","path":"a b","op":"read"}]';
    const buf = Buffer.from(`${text},"seal":"00"}`);
    const ranges = KEYS.ranges();
    expect(findMembers(buf, 0, text.length, KEYS, ranges)).toBe(true);
    expect(memberText(buf, ranges, KEYS.slot('subjects'))).toBe(
      '[{"kind":"path","path":"a b","op":"read"}]',
    );
    expect(memberText(buf, ranges, KEYS.slot('policy'))).toBeUndefined();
  });

  it.each([
    ['not an object', '["id"]'],
    ['whitespace between tokens', '{ "id":"x"}'],
    ['a key without a colon', '{"id" "x"}'],
    ['an unterminated string', '{"note":"abc}'],
    ['an unterminated object', '{"policy":{"a":1}'],
    ['garbage after a value', '{"id":"x"y,"n":1}'],
    ['a missing value', '{"id":}'],
  ])('refuses %s', (_why, text) => {
    expect(read(text)).toBeNull();
  });

  it('throws on a member that is not JSON, so the caller parses the line', () => {
    const buf = Buffer.from('{"n":tru}');
    const ranges = KEYS.ranges();
    expect(findMembers(buf, 0, buf.length - 1, KEYS, ranges)).toBe(true);
    expect(() => memberValue(buf, ranges, KEYS.slot('n'))).toThrow();
  });
});
