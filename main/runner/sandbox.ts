import type {
  SandboxManager as RuntimeManager,
  SandboxRuntimeConfig,
  SandboxViolationEvent,
} from '@anthropic-ai/sandbox-runtime';

/** The runtime's manager; its module (~110 ms to load) is imported when the first command runs. */
type Manager = typeof RuntimeManager;
import { HostGate, type HostGateOptions, type RunOrigin } from './host-gate';
import { runtimeNetwork, type NetworkRules } from './host-rules';
import { NetworkLeases } from './network-leases';
import {
  SandboxUnavailableError,
  checkSandbox,
  explainSandboxError,
  type SandboxCheckDeps,
  defaultSandboxCheckDeps,
} from './sandbox-check';

/** One sandboxed invocation, ready to spawn as `file args`. */
export interface WrappedCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** Call once the process has exited: removes the mount points bubblewrap left behind. */
  release(): void;
}

export interface WrapSpec {
  readonly runId: string;
  readonly command: string;
  /** The shell that runs `command` inside the sandbox. */
  readonly shell: string;
  readonly allowWrite: readonly string[];
  /** Paths inside allowWrite that stay read-only (see write-denies.ts). */
  readonly denyWrite: readonly string[];
  readonly denyRead: readonly string[];
  readonly allowRead: readonly string[];
}

/** A run's place on the network proxy: held now (`waiting` null) or queued behind other rules. */
export interface NetworkLease {
  /** Why the run waits, in words; null when it holds the proxy already. */
  readonly waiting: string | null;
  /** Resolves once the run holds the proxy; rejects (LeaseCancelledError) when cancelled first. */
  readonly ready: Promise<void>;
  /** Stop waiting (a cancelled run); does nothing once the run holds the proxy. */
  cancel(): void;
  /** The run ended: its questions are denied and runs with other rules may go. Idempotent. */
  release(): void;
}

/** What a run asks of the network: its rules, and who may be asked about new hosts. */
export interface LeaseSpec {
  readonly runId: string;
  readonly command: string;
  readonly rules: NetworkRules;
  readonly origin: RunOrigin | null;
  readonly workspace?: string;
}

// Until a run takes the proxy it enforces nothing but "no network".
const NO_NETWORK: NetworkRules = { policy: 'block_all', allowlist: [], denylist: [] };

function runtimeConfig(rules: NetworkRules): SandboxRuntimeConfig {
  return {
    network: runtimeNetwork(rules),
    // The session-wide filesystem rules are never used: every wrap passes its own.
    filesystem: { denyRead: [], allowWrite: [], denyWrite: [] },
    // The runtime scans the app's own current folder for files to protect, which is not the
    // workspace: the runner names the workspace's itself (write-denies.ts), so keep this shallow.
    mandatoryDenySearchDepth: 1,
  };
}

/**
 * Let the violation monitor catch up with a run that has ended. Its reports travel over a unix
 * socket and were written before the sandboxed processes died, so they are already queued for this
 * process: accepting the connection and reading it takes a couple of event-loop polls, not a fixed
 * wait. Each setImmediate turn passes through one poll; four leave margin for accept, then read.
 */
export async function violationReportsSettled(): Promise<void> {
  for (let turn = 0; turn < 4; turn++) await new Promise<void>((r) => setImmediate(r));
}

function encodeKey(runId: string): string {
  return Buffer.from(runId, 'utf8').toString('base64');
}

type ViolationListener = (runId: string, line: string) => void;

/**
 * The process-wide sandbox runtime (it is a singleton: one proxy, one violation store). Each run
 * gets its own filesystem rules; the network rules are the proxy's and so are shared: runs with
 * other rules wait for the proxy (network-leases.ts), and hosts no rule covers are asked about
 * through the gate (host-gate.ts).
 */
export class SandboxBackend {
  private ready: Promise<void> | null = null;
  /** The runtime's ask callback, and the runs on the proxy it may ask about. */
  readonly gate: HostGate;
  private readonly leases: NetworkLeases;
  private readonly origins = new Map<string, LeaseSpec>();
  private readonly runKeys = new Map<string, string>();
  private readonly listeners = new Set<ViolationListener>();
  private unsubscribeStore: (() => void) | null = null;
  private readonly seen = new WeakSet<SandboxViolationEvent>();
  private manager: Manager | null = null;

  constructor(
    private readonly checkDeps: SandboxCheckDeps = defaultSandboxCheckDeps,
    gate: HostGateOptions = {},
  ) {
    this.gate = new HostGate({
      ...gate,
      onGranted: () => {
        gate.onGranted?.();
        this.leases.pump();
      },
    });
    this.leases = new NetworkLeases({
      apply: (rules) => this.manager?.updateConfig(runtimeConfig(rules)),
      granted: (runId, entry) =>
        entry.port !== undefined && this.gate.granted(runId, entry.domain, entry.port),
      onGranted: (request) => {
        const spec = this.origins.get(request.runId);
        if (!spec) return;
        this.gate.attach(
          { runId: spec.runId, command: spec.command, sessionId: spec.origin?.sessionId ?? null },
          spec.origin,
          spec.rules,
          spec.workspace ?? null,
        );
      },
    });
  }

  /** Start the runtime (proxy, violation monitor) once; throws SandboxUnavailableError. */
  private async ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      const problem = await checkSandbox(this.checkDeps);
      if (problem) throw new SandboxUnavailableError(problem);
      let SandboxManager: Manager;
      try {
        ({ SandboxManager } = await import('@anthropic-ai/sandbox-runtime'));
        await SandboxManager.initialize(runtimeConfig(NO_NETWORK), this.gate.ask, true);
      } catch (error) {
        throw new SandboxUnavailableError(explainSandboxError(error));
      }
      this.manager = SandboxManager;
      this.unsubscribeStore = SandboxManager.getSandboxViolationStore().subscribe((events) =>
        this.dispatch(events),
      );
    })();
    try {
      await this.ready;
    } catch (error) {
      this.ready = null;
      throw error;
    }
  }

  private dispatch(events: readonly SandboxViolationEvent[]): void {
    for (const event of events) {
      if (this.seen.has(event)) continue;
      this.seen.add(event);
      for (const [runId, key] of this.runKeys) {
        if (event.encodedCommand !== key) continue;
        for (const listener of this.listeners) listener(runId, event.line);
      }
    }
  }

  /** Hear about blocked operations of runs this backend wrapped. */
  onViolation(listener: ViolationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether the sandbox can start on this machine; null when it can. */
  async problem(): Promise<SandboxUnavailableError | null> {
    try {
      await this.ensureReady();
      return null;
    } catch (error) {
      if (error instanceof SandboxUnavailableError) return error;
      return new SandboxUnavailableError(explainSandboxError(error));
    }
  }

  /** Wrap a command for the sandbox; the caller spawns the result in its pseudo-terminal. */
  async wrap(spec: WrapSpec): Promise<WrappedCommand> {
    await this.ensureReady();
    const SandboxManager = this.manager;
    if (!SandboxManager) {
      throw new SandboxUnavailableError(
        explainSandboxError(new Error('the sandbox runtime did not start')),
      );
    }
    this.runKeys.set(spec.runId, encodeKey(spec.runId));
    let wrapped: string;
    try {
      wrapped = await SandboxManager.wrapWithSandbox(
        spec.command,
        spec.shell,
        {
          filesystem: {
            denyRead: [...spec.denyRead],
            allowRead: [...spec.allowRead],
            allowWrite: [...spec.allowWrite],
            denyWrite: [...spec.denyWrite],
          },
        },
        undefined,
        { commandId: spec.runId, commandText: spec.command },
      );
    } catch (error) {
      this.runKeys.delete(spec.runId);
      throw new SandboxUnavailableError(explainSandboxError(error));
    }
    let released = false;
    return {
      file: spec.shell,
      args: ['-c', wrapped],
      release: () => {
        if (released) return;
        released = true;
        // Late violation lines (the monitor's socket is asynchronous) still find their run.
        setTimeout(() => this.runKeys.delete(spec.runId), 1000).unref();
        SandboxManager.cleanupAfterCommand();
      },
    };
  }

  /**
   * Put a run on the network proxy under its rules: at once when the proxy enforces the same
   * rules (or nothing), else queued until the runs holding it have ended. Call before spawning.
   */
  async lease(spec: LeaseSpec): Promise<NetworkLease> {
    await this.ensureReady();
    this.origins.set(spec.runId, spec);
    const outcome = this.leases.request({
      runId: spec.runId,
      command: spec.command,
      rules: spec.rules,
    });
    let released = false;
    return {
      waiting: outcome.granted ? null : outcome.reason,
      ready: outcome.granted ? Promise.resolve() : outcome.ready,
      cancel: () => {
        if (this.leases.cancel(spec.runId)) this.origins.delete(spec.runId);
      },
      release: () => {
        if (released) return;
        released = true;
        this.leases.cancel(spec.runId);
        this.origins.delete(spec.runId);
        this.gate.detach(spec.runId);
        this.leases.release(spec.runId);
      },
    };
  }

  /** Stop the proxy and the monitor (app shutdown, tests). */
  async dispose(): Promise<void> {
    this.unsubscribeStore?.();
    this.unsubscribeStore = null;
    this.gate.close();
    if (this.ready) {
      this.ready = null;
      await this.manager?.reset();
      this.manager = null;
    }
  }
}
