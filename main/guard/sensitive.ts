import { join } from 'node:path';
import type { Provenance, RuleRef } from '../../shared/domain/policy';
import { lexicalPath, LIVE_FS, realOrSelf, type FsLookups } from './paths';

/**
 * The one list of home-relative places that hold keys, tokens or credentials: VT Code's defaults
 * plus the credential files of common tools. The path policy and the sandbox's read denies are
 * both generated from it.
 */
export const DEFAULT_SENSITIVE_HOME_PATHS: readonly string[] = [
  '.ssh',
  '.aws',
  '.kube',
  '.gnupg',
  '.azure',
  '.config/gcloud',
  '.docker',
  '.netrc',
  '.npmrc',
  '.yarnrc.yml',
  '.pypirc',
  '.pgpass',
  '.my.cnf',
  '.git-credentials',
  '.config/git/credentials',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.config/gh',
  '.config/hub',
  '.config/glab-cli',
  '.config/rclone',
  '.config/op',
  '.password-store',
  '.local/share/keyrings',
  '.gem/credentials',
  '.m2/settings.xml',
  '.m2/settings-security.xml',
  '.gradle/gradle.properties',
  '.terraform.d/credentials.tfrc.json',
  '.vault-token',
  '.config/composer/auth.json',
  '.composer/auth.json',
  '.nuget/NuGet/NuGet.Config',
  '.vtcode',
  '.config/vtcode',
  // Other agents' and tools' login tokens.
  '.claude/.credentials.json',
  '.claude.json',
  '.codex/auth.json',
  '.gemini/oauth_creds.json',
  '.config/github-copilot',
  '.config/containers/auth.json',
  '.yarnrc',
  '.config/pip/pip.conf',
  '.pip/pip.conf',
  '.s3cfg',
  '.boto',
  '.terraformrc',
  '.config/doctl',
  '.config/hcloud',
  '.fly',
  '.config/configstore',
  '.wrangler',
  '.config/heroku',
  '.netrc.gpg',
  // Shell histories hold pasted tokens; browsers hold cookies and saved passwords.
  '.bash_history',
  '.zsh_history',
  '.local/share/fish/fish_history',
  '.python_history',
  '.psql_history',
  '.mysql_history',
  '.mozilla',
  '.config/google-chrome',
  '.config/chromium',
  '.config/BraveSoftware',
  '.config/microsoft-edge',
  '.config/Code/User/globalStorage',
  '.cache/huggingface/token',
  '.huggingface/token',
  '.pulumi/credentials.json',
  '.config/sops',
  '.databrickscfg',
  '.config/stripe',
  '.ivy2/.credentials',
  '.minikube',
  '.oci',
  'snap/firefox',
  'snap/chromium',
  '.local/share/com.vercel.cli',
  '.vercel',
  '.config/netlify',
  '.config/twilio-cli',
  '.config/op',
  '.aws-sso',
  '.config/rclone',
  // Tokens kept inside toolchain folders the sandbox otherwise shows.
  '.cache/huggingface/stored_tokens',
  '.bundle/config',
  '.local/share/gem/credentials',
  '.sbt/.credentials',
  '.sbt/1.0/credentials.sbt',
  '.cabal/config',
  '.stack/upload',
  '.nimble/github_api_token',
  '.platformio/appstate.json',
  '.julia/servers',
  '.gradle/develocity',
  '.gradle/enterprise',
  '.gradle/init.d',
  '.m2/repository/.credentials',
  '.nuget/NuGet/NuGet.Config',
  '.yarn/berry/.yarnrc.yml',
];

/** A directory or file that no tool and no sandboxed command may read. */
export interface SensitiveEntry {
  readonly path: string;
  readonly ref: RuleRef;
}

/** What makes up the sensitive-read set: `[sandbox.sensitive_paths]` and the app's own folders. */
export interface SensitiveInputs {
  readonly useDefaults: boolean;
  /** `additional` entries with the file that named them (relative ones: to the workspace). */
  readonly additional: readonly { readonly entry: string; readonly source: Provenance }[];
  readonly exceptions: readonly string[];
  /** The app's config and data folders: they hold settings, session keys and logs. */
  readonly appDirs: readonly string[];
}

const BUILTIN: Provenance = { layer: 'default', file: null };

/**
 * Every sensitive entry, each also under its real path when a symlink leads to it, and the
 * exceptions that re-open a path beneath one.
 */
export function compileSensitive(
  inputs: SensitiveInputs,
  workspace: string,
  home: string,
  fs: FsLookups = LIVE_FS,
): { sensitive: SensitiveEntry[]; exceptions: string[] } {
  const sensitive: SensitiveEntry[] = [];
  const add = (path: string, ref: RuleRef): void => {
    sensitive.push({ path, ref });
    const real = realOrSelf(path, fs);
    if (real !== path) sensitive.push({ path: real, ref });
  };
  if (inputs.useDefaults) {
    for (const rel of DEFAULT_SENSITIVE_HOME_PATHS) {
      add(join(home, rel), {
        kind: 'sensitive_path',
        entry: `~/${rel}`,
        section: 'sandbox.sensitive_paths',
        source: BUILTIN,
      });
    }
  }
  for (const e of inputs.additional) {
    add(lexicalPath(e.entry, workspace, home), {
      kind: 'sensitive_path',
      entry: e.entry,
      section: 'sandbox.sensitive_paths',
      source: e.source,
    });
  }
  for (const dir of inputs.appDirs) {
    add(lexicalPath(dir, workspace, home), {
      kind: 'sensitive_path',
      entry: dir,
      section: 'builtin',
      source: BUILTIN,
    });
  }
  // Session logs keep what was read with approval (a .env the person allowed once): not again.
  add(join(lexicalPath('.', workspace, home), '.vtcode', 'sessions'), {
    kind: 'sensitive_path',
    entry: '.vtcode/sessions',
    section: 'builtin',
    source: BUILTIN,
  });
  const exceptions = inputs.exceptions.map((p) => lexicalPath(p, workspace, home));
  return { sensitive, exceptions };
}

/**
 * `.env`, `.env.local`, `.env.production` ...: secrets a project keeps beside its code. Templates
 * (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) are not.
 */
export function isEnvFileName(name: string): boolean {
  const lower = name.toLowerCase();
  // `.env`, `.env.local`, `.env-staging`, `.env_prod`, `.envrc` (direnv's exports).
  if (!/^\.env([._-].*|rc)?$/.test(lower)) return false;
  return !/[._-](example|sample|template|dist|defaults)$/.test(lower);
}
