import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision } from '../../shared/domain/policy';
import type { PolicyEngine } from './engine';
import { engineFromToml, tempDir } from './test-helpers';

/**
 * The policy the evasion tables are decided under: deny rules for `rm`, and an allow list that
 * names plain programs, so only the parser, the wrapper table and the option table stand between
 * a disguised command and "allow".
 */
export const EVASION_TOML = `
[tools]
default_policy = "prompt"

[commands]
allow_list = ["cat", "ls", "head", "less", "grep", "rg", "git", "find", "sed", "sort", "echo",
  "printf", "awk", "gawk", "tar", "rsync", "xargs", "man", "zip", "ssh", "scp", "curl", "wget",
  "tee", "cp", "mv", "install", "ln", "dd", "truncate", "touch", "npm test", "pnpm", "yarn", "pip",
  "pip3", "python", "python3", "node", "perl", "ruby", "bash", "sh", "true", "python3 -c"]
deny_list = ["rm -rf", "git push --force"]
deny_glob = ["rm *"]
`;

/** A command and what the evasion policy must say about it. */
export type EvasionCase = readonly [command: string, expected: Decision];

export interface EvasionFixture {
  readonly engine: PolicyEngine;
  readonly workspace: string;
  readonly home: string;
}

/**
 * A workspace with a symlink `k` to ~/.ssh and `creds` to ~/.aws/credentials (as if the agent had
 * run `ln -s` earlier), and a home holding the usual credential files.
 */
export async function evasionFixture(): Promise<EvasionFixture> {
  const workspace = tempDir('policy-evasion-ws-');
  const home = tempDir('policy-evasion-home-');
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'key');
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.aws', 'credentials'), 'secret');
  writeFileSync(join(home, '.npmrc'), 'token');
  writeFileSync(join(workspace, 'a.txt'), 'a');
  mkdirSync(join(workspace, 'src'));
  writeFileSync(join(workspace, 'src', 'x.ts'), 'x');
  symlinkSync(join(home, '.ssh'), join(workspace, 'k'));
  symlinkSync(join(home, '.aws', 'credentials'), join(workspace, 'creds'));
  const engine = await engineFromToml(EVASION_TOML, workspace, home);
  return { engine, workspace, home };
}

/** The decision and, for a failure message, every part's text, decision and reason. */
export function explain(engine: PolicyEngine, command: string): [Decision, string] {
  const d = engine.decideCommand(command);
  return [d.decision, JSON.stringify(d.parts.map((p) => [p.text, p.decision, p.reason]))];
}
