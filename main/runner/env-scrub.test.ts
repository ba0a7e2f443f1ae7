import { describe, expect, it } from 'vitest';
import { scrubEnv } from './env-scrub';

describe('scrubEnv', () => {
  const host = {
    PATH: '/usr/bin',
    HOME: '/home/u',
    LANG: 'en_US.UTF-8',
    LC_ALL: 'C',
    OPENAI_API_KEY: 'sk-1',
    ANTHROPIC_API_KEY: 'sk-2',
    GITHUB_TOKEN: 'ghp',
    AWS_SECRET_ACCESS_KEY: 'aws',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
    SSH_AUTH_SOCK: '/tmp/agent',
    VTCODE_DESKTOP_HOME: '/x',
    RANDOM_TOOL_SETTING: 'x',
  };

  it('passes the allow-list and drops everything else by name', () => {
    const { env, dropped } = scrubEnv(host);
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'en_US.UTF-8',
      LC_ALL: 'C',
    });
    for (const name of [
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
      'GITHUB_TOKEN',
      'AWS_SECRET_ACCESS_KEY',
      'DBUS_SESSION_BUS_ADDRESS',
      'SSH_AUTH_SOCK',
      'VTCODE_DESKTOP_HOME',
      'RANDOM_TOOL_SETTING',
    ]) {
      expect(env[name]).toBeUndefined();
      expect(dropped).toContain(name);
    }
    expect(JSON.stringify(env)).not.toMatch(/sk-|ghp|aws/);
  });

  it('sets a terminal and disables pagers and git prompts', () => {
    expect(scrubEnv({}).env).toMatchObject({
      TERM: 'xterm-256color',
      PAGER: 'cat',
      GIT_TERMINAL_PROMPT: '0',
    });
  });

  it.each([
    ['MY_API_KEY', 'v'],
    ['NPM_TOKEN', 'v'],
    ['DB_PASSWORD', 'v'],
    ['VTCODE_DESKTOP_X', 'v'],
    ['BAD NAME', 'v'],
    ['NUL_VALUE', 'a\0b'],
  ])('drops the run variable %s', (name, value) => {
    const { env, dropped } = scrubEnv({}, { [name]: value });
    expect(env[name]).toBeUndefined();
    expect(dropped).toContain(name);
  });

  it('keeps harmless run variables and applies overrides last', () => {
    const { env } = scrubEnv({ HOME: '/a' }, { CI: '1' }, { HOME: '/b' });
    expect(env).toMatchObject({ CI: '1', HOME: '/b' });
  });
});
