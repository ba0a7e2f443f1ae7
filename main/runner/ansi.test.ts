import { describe, expect, it } from 'vitest';
import { stripAnsi, terminalToText } from './ansi';

describe('stripAnsi', () => {
  it.each([
    ['\u001b[31mred\u001b[0m', 'red'],
    ['\u001b[1;38;5;196mbold\u001b[m', 'bold'],
    ['\u001b]0;title\u0007text', 'text'],
    ['\u001b]8;;https://x.test\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['\u001b[2K\u001b[1Gline', 'line'],
    ['\u001b[?25lhidden cursor\u001b[?25h', 'hidden cursor'],
    ['\u009b32mc1\u009b0m', 'c1'],
    ['plain', 'plain'],
  ])('strips %j', (input, expected) => {
    expect(stripAnsi(input)).toBe(expected);
  });
});

describe('terminalToText', () => {
  it('turns CRLF into LF and keeps what a redrawn line finally showed', () => {
    expect(terminalToText('a\r\n 10%\r 50%\r100%\r\nb\r\n')).toBe('a\n100%\nb\n');
  });

  it('drops stray control bytes but keeps tabs', () => {
    expect(terminalToText('a\u0007\tb\u0008\u001b')).toBe('a\tb');
  });
});
