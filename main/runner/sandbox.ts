import type {
  SandboxManager as RuntimeManager,
  SandboxRuntimeConfig,
  SandboxViolationEvent,
} from '@anthropic-ai/sandbox-runtime';

/** The runtime's manager; its module (~110 ms to load) is imported when the first command runs. */
type Manager = typeof RuntimeManager;
import { HostGate, type HostGateOptions, type RunOrigin } from './host-gate';
import { runtimeNetwork, type NetworkRules } from './host-rules';
import {
  NO_TOKENS,
  sessionCredentials,
  tlsTermination,
  withTokenValues,
  wrapCredentials,
  type MaskedTokenSet,
} from './masked-tokens';
import { NetworkLeases } from './network-leases';
import { SandboxTemps } from './sandbox-temp';
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
  /** Tokens the run gets as placeholders (masked-tokens.ts); none when absent. */
  readonly tokens?: MaskedTokenSet;
  /**
   * False: no network at all, whatever the proxy allows others (an MCP server without network):
   * the proxy's sockets are hidden from it, so its bridges inside the sandbox reach nothing.
   */
  readonly network?: boolean;
  /**
   * A long-lived process that gets no tokens (an MCP server): the runtime keeps the tokens it
   * has for the runs that do, and this wrap neither changes them nor is given any.
   */
  readonly withoutTokens?: boolean;
}

/** Options of the process-wide backend. */
export interface SandboxBackendOptions {
  /** Let the proxy put tokens into plain-HTTP requests: tests with local servers only. */
  readonly allowPlaintextInject?: boolean;
  /** The network gate's options (host-gate.ts): timeouts, records, headless reports. */
  readonly network?: HostGateOptions;
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

function runtimeConfig(
  rules: NetworkRules,
  tokens: MaskedTokenSet,
  allowPlaintextInject: boolean,
): SandboxRuntimeConfig {
  const network = runtimeNetwork(rules);
  const tlsTerminate = tlsTermination(tokens, network.allowedDomains);
  return {
    network: { ...network, ...(tlsTerminate ? { tlsTerminate } : {}) },
    credentials: sessionCredentials(allowPlaintextInject),
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
  /** The network rules the proxy enforces now (the runs holding it agree on them). */
  private rules: NetworkRules = NO_NETWORK;
  /** Wrapped runs not yet released (prepared, waiting or running). */
  private active = 0;
  /** Where runs' and servers' temp folders live: hidden from every wrap but for its own. */
  private readonly temps = new SandboxTemps();
  private readonly runKeys = new Map<string, string>();
  private readonly listeners = new Set<ViolationListener>();
  private unsubscribeStore: (() => void) | null = null;
  private readonly seen = new WeakSet<SandboxViolationEvent>();
  private manager: Manager | null = null;
  /** The tokens the runtime was last configured with (see wrap). */
  private tokens: MaskedTokenSet = NO_TOKENS;
  /** Whether the runtime was started with TLS termination (only when there were tokens). */
  private terminating = false;
  /** Every variable masked since the runtime started: its registry still maps each one. */
  private readonly masked = new Set<string>();

  constructor(
    private readonly checkDeps: SandboxCheckDeps = defaultSandboxCheckDeps,
    private readonly options: SandboxBackendOptions = {},
  ) {
    const gate = options.network ?? {};
    this.gate = new HostGate({
      ...gate,
      onGranted: () => {
        gate.onGranted?.();
        this.leases.pump();
      },
    });
    this.leases = new NetworkLeases({
      apply: (rules) => {
        this.rules = rules;
        this.manager?.updateConfig(this.config());
      },
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

  private config(): SandboxRuntimeConfig {
    return runtimeConfig(this.rules, this.tokens, this.options.allowPlaintextInject === true);
  }

  /** Start the runtime (proxy, violation monitor) once; throws SandboxUnavailableError. */
  private async ensureReady(tokens: MaskedTokenSet): Promise<void> {
    this.ready ??= this.start(tokens);
    try {
      await this.ready;
    } catch (error) {
      this.ready = null;
      throw error;
    }
  }

  private start(tokens: MaskedTokenSet): Promise<void> {
    return (async () => {
      const problem = await checkSandbox(this.checkDeps);
      if (problem) throw new SandboxUnavailableError(problem);
      let SandboxManager: Manager;
      this.tokens = tokens;
      try {
        ({ SandboxManager } = await import('@anthropic-ai/sandbox-runtime'));
        // The gate is the ask callback: a host no rule covers is put to a person (or denied).
        await SandboxManager.initialize(this.config(), this.gate.ask, true);
      } catch (error) {
        throw new SandboxUnavailableError(explainSandboxError(error));
      }
      this.manager = SandboxManager;
      this.terminating = tokens.tokens.length > 0;
      this.masked.clear();
      this.unsubscribeStore = SandboxManager.getSandboxViolationStore().subscribe((events) =>
        this.dispatch(events),
      );
    })();
  }

  /*
   * A token was unbound (or moved to another variable), or tokens came or went: start the runtime
   * afresh. Its placeholders live in a session-wide registry that only a reset empties, so an
   * unbound token's placeholder would otherwise still be swapped for it; and whether it terminates
   * TLS is decided when it starts. A token added or replaced, or bound to other hosts, needs no
   * restart: the next wrap registers it, updating the registry in place.
   */
  private needsRestart(tokens: MaskedTokenSet): boolean {
    if (tokens.revision === this.tokens.revision) return false;
    if (tokens.tokens.length > 0 !== this.terminating) return true;
    const vars = new Set(tokens.tokens.map((t) => t.envVar));
    return [...this.masked].some((name) => !vars.has(name));
  }

  private restart(tokens: MaskedTokenSet): void {
    const old = this.manager;
    this.unsubscribeStore?.();
    this.unsubscribeStore = null;
    this.manager = null;
    this.ready = (async () => {
      await old?.reset();
      await this.start(tokens);
    })();
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
      await this.ensureReady(this.tokens);
      return null;
    } catch (error) {
      if (error instanceof SandboxUnavailableError) return error;
      return new SandboxUnavailableError(explainSandboxError(error));
    }
  }

  /** A temp folder for one run or server: no other wrap can read it (`prefix`: its kind). */
  tempFolder(prefix: string): Promise<string> {
    return this.temps.folder(prefix);
  }

  /** Wrap a command for the sandbox; the caller spawns the result in its pseudo-terminal. */
  async wrap(spec: WrapSpec): Promise<WrappedCommand> {
    const tokens = spec.withoutTokens ? this.tokens : (spec.tokens ?? NO_TOKENS);
    await this.ensureReady(tokens);
    const restart = this.needsRestart(tokens);
    if (restart && this.active > 0) {
      throw new SandboxConflictError(
        `${this.active} running command(s) were given a token that has since been removed; ` +
          'the sandbox proxy stops honouring it only when they end. Wait for them to finish or cancel them.',
      );
    }
    if (restart) {
      this.restart(tokens);
      await this.ensureReady(tokens);
    } else if (tokens.revision !== this.tokens.revision) {
      this.tokens = tokens;
      this.manager?.updateConfig(this.config());
    }
    const SandboxManager = this.manager;
    if (!SandboxManager) {
      throw new SandboxUnavailableError(
        explainSandboxError(new Error('the sandbox runtime did not start')),
      );
    }
    this.active++;
    this.runKeys.set(spec.runId, encodeKey(spec.runId));
    let wrapped: string;
    const given = spec.withoutTokens ? NO_TOKENS : tokens;
    const hidden =
      spec.network === false
        ? [
            SandboxManager.getLinuxHttpSocketPath(),
            SandboxManager.getLinuxSocksSocketPath(),
          ].filter((p): p is string => typeof p === 'string')
        : [];
    try {
      for (const token of given.tokens) this.masked.add(token.envVar);
      // The runtime reads each token's value while it wraps, and only then (masked-tokens.ts).
      wrapped = await withTokenValues(given, () =>
        SandboxManager.wrapWithSandbox(
          spec.command,
          spec.shell,
          {
            filesystem: {
              denyRead: [...spec.denyRead, ...new Set(hidden), this.temps.root()],
              allowRead: [...spec.allowRead],
              allowWrite: [...spec.allowWrite],
              denyWrite: [...spec.denyWrite],
            },
            credentials: wrapCredentials(given),
          },
          undefined,
          { commandId: spec.runId, commandText: spec.command },
        ),
      );
    } catch (error) {
      this.active--;
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
        this.active--;
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
    await this.ensureReady(this.tokens);
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
    this.temps.dispose();
    this.unsubscribeStore?.();
    this.unsubscribeStore = null;
    this.gate.close();
    if (this.ready) {
      this.ready = null;
      this.tokens = NO_TOKENS;
      this.terminating = false;
      this.masked.clear();
      await this.manager?.reset();
      this.manager = null;
    }
  }
}

/**
 * A run that could be sandboxed, but not now: a token it would have been given was removed while
 * other runs still hold it (the proxy forgets a token only when it restarts). Runs with other
 * network rules are never refused: they wait for the proxy (see NetworkLeases).
 */
export class SandboxConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxConflictError';
  }
}
