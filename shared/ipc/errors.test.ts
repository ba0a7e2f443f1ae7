import { describe, expect, it } from 'vitest';
import { BRIDGE_ERROR_CODES, BridgeError, unwrapResult } from './errors';

describe('unwrapResult', () => {
  it('returns the value of a success, whatever its shape', () => {
    expect(unwrapResult({ ok: true, value: { a: 1 } })).toEqual({ a: 1 });
    expect(unwrapResult({ ok: true, value: null })).toBeNull();
  });

  it('throws the error a failure carries, with its code', () => {
    const fail = () =>
      unwrapResult({ ok: false, error: { code: 'forbidden', message: 'Outside the workspace.' } });
    expect(fail).toThrow(BridgeError);
    expect(fail).toThrow('Outside the workspace.');
    try {
      fail();
    } catch (error) {
      expect((error as BridgeError).code).toBe('forbidden');
    }
  });

  it.each(BRIDGE_ERROR_CODES)('keeps the code %s', (code) => {
    expect(() => unwrapResult({ ok: false, error: { code, message: 'm' } })).toThrow(
      expect.objectContaining({ code, message: 'm' }),
    );
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'ok'],
    ['an array', [true, 1]],
    ['no ok', { value: 1 }],
    ['a success without its value', { ok: true }],
    ['ok not a boolean', { ok: 'true', value: 1 }],
    ['a failure without its error', { ok: false }],
    ['an unknown error code', { ok: false, error: { code: 'teapot', message: 'x' } }],
    ['an error message that is not text', { ok: false, error: { code: 'internal', message: 5 } }],
    ['an error without a message', { ok: false, error: { code: 'internal' } }],
  ])('refuses a malformed reply: %s', (_, reply) => {
    expect(() => unwrapResult(reply)).toThrow('The host sent a malformed reply.');
  });
});
