import { describe, expect, it } from 'vitest';
import { isViolationInsideAllowed } from './violations';

describe('isViolationInsideAllowed', () => {
  it.each([
    ['deny openat /w/file.txt', true],
    ['deny openat /w', true],
    ['deny openat /tmp/run-1/x', true],
    ['deny openat /dev/tty', true],
    ['deny openat /wx/file', false],
    ['deny openat /w/../etc/passwd', false],
    ['deny openat /etc/passwd', false],
    ['deny network-outbound example.com:443', false],
    ['garbage', false],
  ])('%s -> %s', (line, expected) => {
    expect(isViolationInsideAllowed(line, ['/w', '/tmp/run-1'])).toBe(expected);
  });
});
