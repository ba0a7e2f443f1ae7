import type { HealthCheck, HealthReport, HealthStatus } from '../../shared/domain/app';
import type { ModelSetup } from '../../shared/domain/model-setup';
import { findExecutable } from './find-executable';

const MIN_NODE = [22, 12] as const;

/** One probe of the machine; returns what it found and, when something is wrong, how to fix it. */
export type HealthProbe = () => Promise<HealthCheck>;

function nodeProbe(version: string = process.versions.node): HealthProbe {
  return () => {
    const [major = 0, minor = 0] = version.split('.').map(Number);
    const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
    return Promise.resolve({
      id: 'node',
      label: 'Node.js runtime',
      status: ok ? 'ok' : 'error',
      detail: `Node.js ${version}`,
      fix: ok ? null : `Node.js ${MIN_NODE.join('.')} or newer is required; run scripts/setup.sh.`,
    });
  };
}

function binaryProbe(options: {
  id: string;
  label: string;
  binary: string;
  purpose: string;
  debianPackage: string;
  missingStatus: HealthStatus;
}): HealthProbe {
  return async () => {
    const found = await findExecutable(options.binary);
    return {
      id: options.id,
      label: options.label,
      status: found ? 'ok' : options.missingStatus,
      detail: found
        ? `${options.binary} at ${found}`
        : `${options.binary} not found: ${options.purpose}`,
      fix: found
        ? null
        : `Install it: apt-get install ${options.debianPackage} (or run scripts/setup.sh)`,
    };
  };
}

/** The probes that matter on this platform. */
export function defaultProbes(platform: NodeJS.Platform = process.platform): HealthProbe[] {
  const probes: HealthProbe[] = [
    nodeProbe(),
    binaryProbe({
      id: 'ripgrep',
      label: 'ripgrep',
      binary: 'rg',
      purpose: 'the agent searches files with it',
      debianPackage: 'ripgrep',
      missingStatus: 'warn',
    }),
  ];
  if (platform === 'linux') {
    probes.push(
      binaryProbe({
        id: 'bubblewrap',
        label: 'Sandbox (bubblewrap)',
        binary: 'bwrap',
        purpose: 'commands cannot run sandboxed without it',
        debianPackage: 'bubblewrap',
        missingStatus: 'error',
      }),
      binaryProbe({
        id: 'socat',
        label: 'Sandbox network proxy (socat)',
        binary: 'socat',
        purpose: 'the sandbox needs it to allow-list network domains',
        debianPackage: 'socat',
        missingStatus: 'error',
      }),
    );
  }
  return probes;
}

/** The OS keychain, as the credential store sees it (a Secret Service on Linux). */
export function keychainProbe(
  check: () => Promise<{ available: boolean; message?: string; fix?: string }>,
): HealthProbe {
  return async () => {
    const state = await check();
    return {
      id: 'keychain',
      label: 'Keychain',
      status: state.available ? 'ok' : 'warn',
      detail: state.available
        ? 'API keys can be stored in the OS keychain'
        : (state.message ?? 'unavailable'),
      fix: state.available ? null : (state.fix ?? null),
    };
  };
}

/** Whether a new conversation could start: a provider, a model and (where needed) a key. */
export function modelProbe(describe: () => Promise<ModelSetup>): HealthProbe {
  return async () => {
    const setup = await describe();
    const what =
      setup.provider && setup.model
        ? `${setup.providerLabel ?? setup.provider} · ${setup.model}`
        : null;
    return {
      id: 'model',
      label: 'Model',
      status: setup.ready ? 'ok' : 'warn',
      detail: setup.ready
        ? `New conversations use ${what ?? 'the configured model'}`
        : (setup.problem?.message ?? 'No model is connected'),
      fix: setup.ready
        ? null
        : 'Connect a model: provider, model and API key, in Settings › Model.',
      settingsField: setup.ready ? null : (setup.problem?.field ?? 'provider'),
    };
  };
}

const RANK: Record<HealthStatus, number> = { ok: 0, warn: 1, error: 2 };

/** Runs every probe; one probe that throws is reported as an error, not a crash of the report. */
export class HealthService {
  constructor(private readonly probes: readonly HealthProbe[] = defaultProbes()) {}

  /** Every probe, plus `extra` ones about the caller (its workspace's model). */
  async check(extra: readonly HealthProbe[] = []): Promise<HealthReport> {
    const checks = await Promise.all(
      [...this.probes, ...extra].map(async (probe, index): Promise<HealthCheck> => {
        try {
          return await probe();
        } catch (error) {
          return {
            id: `probe-${index}`,
            label: 'Health probe',
            status: 'error',
            detail: error instanceof Error ? error.message : String(error),
            fix: null,
          };
        }
      }),
    );
    const status = checks.reduce<HealthStatus>(
      (worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst),
      'ok',
    );
    return { status, checks, checkedAt: new Date().toISOString() };
  }
}
