import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkspaceTrust } from '../../../shared/domain/workspace';
import { resolveAppPaths } from '../../platform/paths';
import { TrustStore } from '../../workspace/trust-store';
import { UsageError, type CliCommand } from '../command';

/** One line for stderr: which trust a folder runs under, and how to change it. */
export function trustNotice(workspace: string, env: NodeJS.ProcessEnv): string {
  const store = TrustStore.inDataDir(resolveAppPaths(env).dataDir);
  const trust = store.get(workspace);
  if (trust === 'trusted')
    return `workspace ${workspace}: trusted (its vtcode.toml applies; commands may write in it)\n`;
  const why = trust === 'read_only' ? 'opened read-only' : 'not trusted yet';
  return `workspace ${workspace}: ${why}: its vtcode.toml only tightens, commands and tools cannot write (vtcode-desktop trust ${workspace})\n`;
}

async function folderOf(args: readonly string[]): Promise<string> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('name exactly one folder');
  const folder = resolve(positionals[0] ?? '');
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`not a folder: ${folder}`);
  return folder;
}

function trustCommand(name: string, choice: WorkspaceTrust | null): CliCommand {
  return {
    name,
    summary:
      choice === 'trusted'
        ? 'Trust a folder: its vtcode.toml applies and commands may write inside it'
        : 'Stop trusting a folder: it opens read-only again',
    usage: `vtcode-desktop ${name} DIR`,
    async run(args, io) {
      const folder = await folderOf(args);
      const store = TrustStore.inDataDir(resolveAppPaths(io.env).dataDir);
      if (choice === 'trusted') await store.set(folder, 'trusted');
      else {
        // Untrusting a folder inside a trusted one must stick: record read_only there.
        await store.remove(folder);
        if (store.get(folder) === 'trusted') await store.set(folder, 'read_only');
      }
      io.stdout.write(trustNotice(folder, io.env));
      return 0;
    },
  };
}

export const trustCliCommand = trustCommand('trust', 'trusted');
export const untrustCliCommand = trustCommand('untrust', null);
