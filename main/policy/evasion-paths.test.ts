import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evasionFixture, explain, type EvasionCase, type EvasionFixture } from './evasion-fixture';

let fx: EvasionFixture;

beforeAll(async () => {
  fx = await evasionFixture();
});

// 6. Globs, braces and variables: whatever the shell could expand to a sensitive path is denied.
const EXPANSIONS: readonly EvasionCase[] = [
  ['cat ~/.np?rc', 'deny'],
  ['cat ~/.{n,}pmrc', 'deny'],
  ['cat ~/.ss*/id_rsa', 'deny'],
  ['cat ~/.*/credentials', 'deny'],
  ['cat ~/.[s]sh/id_rsa', 'deny'],
  ['ls ~/.?sh', 'deny'],
  ['ls ~/.*', 'deny'],
  ['cat ~/../*/.ssh/id_rsa', 'deny'],
  ['cat {~/.ssh,a}/id_rsa', 'deny'],
  ['cat ~/.{ssh,aws}/*', 'deny'],
  ['cat "$HOME"/.a?s/credentials', 'deny'],
  ['cat ${HOME}/.ss{h,x}/id_rsa', 'deny'],
  ['cat k*/id_rsa', 'deny'],
  ['cat $X/.ssh/id_rsa', 'prompt'],
  ['cat "$DIR"/credentials', 'prompt'],
  ['head $(echo ~)/.bashrc', 'prompt'],
  ['cat ${OLDPWD}/x', 'prompt'],
];

// 7. Readers pointed at sensitive files through a symlink in the workspace, and writes outside.
const SYMLINKS: readonly EvasionCase[] = [
  ['cat k/id_rsa', 'deny'],
  ['cat ./k/id_rsa', 'deny'],
  ['cat k', 'deny'],
  ['cat creds', 'deny'],
  ['head -n 5 k/id_rsa', 'deny'],
  ['grep -r secret k', 'deny'],
  ['rg secret creds', 'deny'],
  ['less k/id_rsa', 'deny'],
  ['ls k', 'deny'],
  ['grep --file=k/id_rsa a.txt', 'deny'],
  ['echo x | tee k/authorized_keys', 'deny'],
  ['echo x | tee vtcode.toml', 'deny'],
  ['echo x | tee /tmp/out', 'prompt'],
  ['echo x | tee -a ../out', 'prompt'],
  ['cp a.txt /tmp/x', 'prompt'],
  ['cp a.txt vtcode.toml', 'deny'],
  ['cp a.txt k/', 'deny'],
  ['cp -t /tmp a.txt', 'prompt'],
  ['mv a.txt ../x', 'prompt'],
  ['install a.txt /usr/local/bin/x', 'prompt'],
  ['ln -s a.txt /tmp/l', 'prompt'],
  ['dd if=a.txt of=/tmp/x', 'prompt'],
  ['dd if=k/id_rsa of=out', 'deny'],
  ['truncate -s 0 /tmp/x', 'prompt'],
  ['touch /tmp/x', 'prompt'],
  ['touch .vtcode/x', 'deny'],
  ['grep -r key ~', 'prompt'],
  ['rg key /', 'prompt'],
];

describe('evasions through paths', () => {
  for (const [group, cases] of Object.entries({ EXPANSIONS, SYMLINKS })) {
    describe(group, () => {
      it.each(cases)('%j -> %s', (command, expected) => {
        const [decision, parts] = explain(fx.engine, command);
        expect(decision, parts).toBe(expected);
      });
    });
  }

  it('does not cache a decision that looked at the file system', () => {
    expect(fx.engine.decideCommand('cat later/id_rsa').decision).toBe('allow');
    symlinkSync(join(fx.home, '.ssh'), join(fx.workspace, 'later'));
    expect(fx.engine.decideCommand('cat later/id_rsa').decision).toBe('deny');
  });
});
