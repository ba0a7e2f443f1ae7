import { describe, expect, it } from 'vitest';
import { sedEffects } from './sed-script';

describe('sed scripts', () => {
  it.each([
    ['1,10p', []],
    ['s/a/b/g;p', []],
    ['s|/|\\||g', []],
    ['/x/,+3d', []],
    ['$!N;P;D', []],
    [':a;N;$!ba;s/\\n/ /g', []],
    ['1a\\\nhello', []],
    ['y/abc/xyz/', []],
    ['s/a/b/w out', ['writes:out']],
    ['s/a/b/gew out', ['runs:the pattern space', 'writes:out']],
    ['1e id', ['runs:id']],
    ['/x/ W /tmp/y', ['writes:/tmp/y']],
    ['r ~/.ssh/id_rsa', ['reads:~/.ssh/id_rsa']],
    ['0~3 w x\np', ['writes:x']],
  ])('%j', (script, expected) => {
    expect(sedEffects(script)?.map((e) => `${e.effect}:${e.target}`)).toEqual(expected);
  });

  it.each(['k', 's/a/b', 's/a/b/Q', '/unterminated'])('cannot read %j', (script) => {
    expect(sedEffects(script)).toBeNull();
  });
});
