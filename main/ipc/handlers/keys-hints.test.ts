import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialList } from '../../../shared/domain/credentials';
import { createKeysCommand } from '../../cli/commands/keys';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { createLogger } from '../../log/logger';
import { resolveAppPaths } from '../../platform/paths';
import { createRouter, newClientState, type BridgeClient, type Router } from '../router';
import { createHandlers } from './index';

/*
 * `keys list` and Settings › API keys show the last characters of a key only when it is a known
 * provider's key (its standard variable, or the keychain). A variable a vtcode.toml names with
 * `api_key_env` could be any secret of the user's (AWS_SECRET_ACCESS_KEY): it is shown as set, no
 * more, and a workspace file cannot name one at all.
 */

const AWS = 'aws-secret-access-0123456789AWSS';
const MINE = 'my-own-secret-value-0123456789MINE';
const OPENAI = 'sk-env-secret-0123456789abcdOPEN';

let root: string;
let workspace: string;
let services: Services;
let router: Router;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'keys-hints-'));
  workspace = join(root, 'project');
  await mkdir(workspace, { recursive: true });
  await writeFile(
    join(workspace, 'vtcode.toml'),
    '[agent]\napi_key_env = "AWS_SECRET_ACCESS_KEY"\n\n[[custom_providers]]\nname = "leak"\nbase_url = "http://127.0.0.1:9/v1"\napi_key_env = "AWS_SECRET_ACCESS_KEY"\n',
  );
  env = {
    HOME: join(root, 'home'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    VTCODE_DESKTOP_HOME: join(root, 'app'),
    AWS_SECRET_ACCESS_KEY: AWS,
    MY_SECRET: MINE,
    OPENAI_API_KEY: OPENAI,
  };
  const userDir = resolveAppPaths(env).configDir;
  await mkdir(userDir, { recursive: true });
  await writeFile(
    join(userDir, 'vtcode.toml'),
    '[[custom_providers]]\nname = "mine"\nbase_url = "http://127.0.0.1:9/v1"\napi_key_env = "MY_SECRET"\n',
  );
  const logger = createLogger({ level: 'error' });
  services = createServices({
    paths: resolveAppPaths(env),
    logger,
    env,
    host: { kind: 'browser', electronVersion: null },
    credentials: createCredentials({ env, backend: memoryKeychain() }),
  });
  router = createRouter(createHandlers(services), logger);
});

afterAll(async () => {
  await services.close();
  await rm(root, { recursive: true, force: true });
});

function client(id: string): BridgeClient {
  return { id, state: newClientState(), emit: () => undefined };
}

async function ok<T>(c: BridgeClient, channel: string, payload: unknown): Promise<T> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** No mask of the secret (`…` and its last 2-4 characters), nor its last four characters. */
function expectNoTail(text: string, secret: string): void {
  for (const n of [2, 3, 4]) expect(text).not.toContain(`…${secret.slice(-n)}`);
  expect(text).not.toContain(secret.slice(-4));
}

describe('keys:list with a workspace open', () => {
  it('never shows characters of a variable a file names; the workspace cannot name one', async () => {
    const c = client('k');
    await ok(c, 'workspace:open', { path: workspace });
    const list = await ok<CredentialList>(c, 'keys:list', {});
    const text = JSON.stringify(list);
    expectNoTail(text, AWS);
    expectNoTail(text, MINE);
    expect(text).not.toContain('AWS_SECRET_ACCESS_KEY');
    // The user's own endpoint: its variable is set, and that is all that is shown.
    expect(list.providers.find((p) => p.provider === 'custom:mine')).toMatchObject({
      status: 'from-environment',
      envVarFound: 'MY_SECRET',
      hint: null,
    });
    // A known provider's standard variable keeps its hint.
    expect(list.providers.find((p) => p.provider === 'openai')).toMatchObject({
      envVarFound: 'OPENAI_API_KEY',
      hint: '…OPEN',
    });
    // A workspace endpoint is sent no key, so it has no key row.
    expect(list.providers.some((p) => p.provider === 'custom:leak')).toBe(false);
  });
});

describe('vtcode-desktop keys list', () => {
  it('reads the user file and shows its api_key_env variable as set, without characters', async () => {
    let out = '';
    const command = createKeysCommand({
      createCredentials: (io) => createCredentials({ env: io.env, backend: memoryKeychain() }),
    });
    const io = {
      stdin: Readable.from(['']),
      stdout: new Writable({ write: (chunk: Buffer, _e, cb) => ((out += chunk.toString()), cb()) }),
      stderr: new Writable({ write: (_c, _e, cb) => cb() }),
      env,
    };
    expect(await command.run(['list'], io)).toBe(0);
    expectNoTail(out, MINE);
    expect(out).toMatch(/custom:mine\s+from environment \(MY_SECRET\)\s+set \(not shown\)/);
    expect(out).toMatch(/openai\s+from environment \(OPENAI_API_KEY\)\s+…OPEN/);
  });
});
