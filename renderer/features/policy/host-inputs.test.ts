import { describe, expect, it } from 'vitest';
import { denyEntryProblem } from './deny-list';
import { splitHostInput } from './try-host';

describe('host inputs of the Policy panel', () => {
  it.each([
    ['api.github.com', { host: 'api.github.com', port: null }],
    ['api.github.com:8443', { host: 'api.github.com', port: 8443 }],
    ['[::1]:80', { host: '::1', port: 80 }],
    ['[::1]', { host: '::1', port: null }],
    ['  10.0.0.1:22 ', { host: '10.0.0.1', port: 22 }],
  ])('splits %j', (text, expected) => {
    expect(splitHostInput(text)).toEqual(expected);
  });

  it.each([
    ['tracker.example', '', null],
    ['*.ads.example', '443', null],
    ['[::1]', '8080', null],
    ['a b', '', 'Not a host'],
    ['https://x.com', '', 'Not a host'],
    ['*', '', 'Not a host'],
    ['x.com', '0', 'port'],
    ['x.com', '70000', 'port'],
    ['x.com', 'ssh', 'port'],
  ])('checks a deny entry %j port %j', (domain, port, problem) => {
    const found = denyEntryProblem(domain, port);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});
