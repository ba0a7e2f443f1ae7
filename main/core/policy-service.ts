import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentToolInfo, PolicyDecision, PolicySnapshot } from '../../shared/domain/policy';
import type {
  PermissionRuleList,
  PolicyCheckRequest,
  PolicyDraft,
  PolicyEdit,
} from '../../shared/domain/policy-edit';
import { BridgeError } from '../../shared/ipc/errors';
import { readLayer } from '../config/layer';
import {
  CONFIG_FILE_NAME,
  configFiles,
  loadConfig,
  type ConfigFileRef,
} from '../config/config-loader';
import { createConfigStore, type ConfigStore } from '../config/config-store';
import type { VtcodeConfig } from '../config/effective';
import { readAgentFileSettings } from '../config/custom-providers';
import {
  readFileProviderSettings,
  vetWorkspaceProviders,
  workspaceRefusal,
} from '../config/provider-trust';
import { BUILTIN_AGENT_PROVIDERS } from '../agent/providers/provider-factory';
import { toolCatalog } from '../agent/tools/registry';
import type { AgentSettingsView } from '../../shared/domain/agent-settings';
import { writeFileAtomic } from '../fs/atomic-write';
import type { Logger } from '../log/logger';
import type { AppPaths } from '../platform/paths';
import { createPolicyEngine, type PolicyEngine } from '../policy/engine';
import { createShellParser, type ShellParser } from '../policy/shell-parser';
import { explainPolicy, type ExplainOptions } from '../policy/explain';
import { lintResult } from '../policy/lint/lint';
import { readWorkspaceActivity } from '../activity/activity-read';
import { pathPrograms } from '../health/path-programs';
import type { PolicyLintResult } from '../../shared/domain/policy-lint';
import type { PolicyExplain } from '../../shared/domain/policy-explain';
import { editedPolicyText } from './policy-save-text';

/**
 * The live policy of one workspace: its config store (watching both files), the engine built
 * from the config in force, and saves that are validated before anything is written.
 */
export class WorkspacePolicy {
  private engine: PolicyEngine;
  /** The last draft engine: a burst of checks against the same edits builds it once. */
  private lastDraft: {
    key: string;
    config: VtcodeConfig;
    issues: readonly unknown[];
    engine: PolicyEngine;
  } | null = null;
  private readonly listeners = new Set<(snapshot: PolicySnapshot) => void>();
  private readonly unsubscribe: () => void;
  /** Tools besides the built-in ones (MCP servers' tools): rows of the matrix while they exist. */
  private moreTools: () => readonly AgentToolInfo[] = () => [];

  private constructor(
    readonly workspace: string,
    private readonly store: ConfigStore,
    private readonly build: (config: VtcodeConfig, replayOnly?: boolean) => PolicyEngine,
    private readonly userFile: string,
    /** The user's home folder (`~/` in rules, where other tools keep their settings). */
    readonly home: string,
    private readonly files: readonly ConfigFileRef[],
  ) {
    this.engine = build(store.current());
    this.unsubscribe = store.subscribe(() => {
      this.engine = this.build(this.store.current());
      const snapshot = this.snapshot();
      for (const listener of this.listeners) listener(snapshot);
    });
  }

  /** Load the workspace's policy and start watching its files. */
  static async open(options: {
    workspace: string;
    parser: ShellParser;
    paths: AppPaths;
    env: NodeJS.ProcessEnv;
  }): Promise<WorkspacePolicy> {
    const files = configFiles({ workspace: options.workspace, env: options.env });
    const store = await createConfigStore(files);
    store.watch();
    const build = (config: VtcodeConfig, replayOnly = false) =>
      createPolicyEngine({
        config,
        parser: options.parser,
        workspace: options.workspace,
        home: options.paths.home,
        appDirs: [options.paths.configDir, options.paths.dataDir],
        replayOnly,
      });
    const userFile = join(options.paths.configDir, CONFIG_FILE_NAME);
    return new WorkspacePolicy(
      options.workspace,
      store,
      build,
      userFile,
      options.paths.home,
      files,
    );
  }

  /** The live config of this workspace (the agent shares it, so saves here apply there). */
  get configStore(): ConfigStore {
    return this.store;
  }

  /** The engine for the config in force (rebuilt whenever a file changes). */
  current(): PolicyEngine {
    return this.engine;
  }

  /** Where the tools besides the built-in ones come from (the workspace's MCP servers). */
  setMoreTools(source: () => readonly AgentToolInfo[]): void {
    this.moreTools = source;
  }

  /** The tools the agent has changed (a server started, stopped or changed its list). */
  toolsChanged(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }

  /** Every tool the agent has now: the built-in ones, then the MCP servers'. */
  tools(): AgentToolInfo[] {
    return [...toolCatalog(), ...this.moreTools()];
  }

  snapshot(): PolicySnapshot {
    const snapshot = this.engine.snapshot(this.tools());
    // The engine keeps the last valid config; the issues are those of the latest read.
    return { ...snapshot, issues: [...this.store.issues()] };
  }

  /** Decide a command or a path under the policy in force, or under unsaved edits (`draft`). */
  async check(request: PolicyCheckRequest): Promise<PolicyDecision> {
    const engine = request.draft ? await this.draft(request.draft) : this.engine;
    return 'command' in request
      ? engine.decideCommand(request.command)
      : engine.decidePath(request.path, request.op);
  }

  /** Hear about every change of the policy in force, from the app or from an editor. */
  subscribe(listener: (snapshot: PolicySnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The file a save to `which` writes. */
  fileFor(which: 'workspace' | 'user'): string {
    return which === 'workspace' ? join(this.workspace, CONFIG_FILE_NAME) : this.userFile;
  }

  /**
   * The `[permissions]` lists written in one file, as written (an untrusted workspace file's
   * allow list too, which the config in force leaves out): what a save of that list replaces.
   */
  async permissionLists(
    which: 'workspace' | 'user',
  ): Promise<Record<PermissionRuleList, readonly string[]>> {
    const file = this.fileFor(which);
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const values = readLayer(text, { layer: which, file }).values;
    const list = (name: PermissionRuleList): readonly string[] => {
      const v = values.get(`permissions.${name}`)?.value;
      return Array.isArray(v) ? (v as string[]) : [];
    };
    return { allow: list('allow'), ask: list('ask'), deny: list('deny') };
  }

  /**
   * Apply edits to one file in a single atomic write. The edited file is validated first (TOML,
   * types, decision words, regexes): if anything is wrong nothing is written and the error names
   * the key; keys this app does not own are left exactly as they were.
   */
  async save(which: 'workspace' | 'user', edits: readonly PolicyEdit[]): Promise<PolicySnapshot> {
    const { file, next } = await this.prepare(which, edits);
    await writeFileAtomic(file, next);
    await this.store.reload();
    return this.snapshot();
  }

  /**
   * The engine this workspace would have after saving `edits` to one file: the file's text is
   * worked out exactly as `save` would write it (same errors for invalid edits), the other file
   * is read as it is now, and nothing is written. `replayOnly` gives a fresh engine of its own
   * that remembers file lookups, for replaying recorded decisions (what-if) and nothing else.
   */
  async draft(
    { target, edits }: PolicyDraft,
    options: { readonly replayOnly?: boolean } = {},
  ): Promise<PolicyEngine> {
    const { next } = await this.prepare(target, edits);
    const ref = this.files.find((f) => f.layer === target);
    if (!ref) throw new BridgeError('not-found', `this workspace has no ${target} file`);
    // The other file as it is now, and the folder's trust as it is now: both part of the key.
    const current = this.store.current();
    const key = JSON.stringify([target, next, current.trust]);
    const last = this.lastDraft;
    if (last?.key === key && last.config === current && last.issues === this.store.issues())
      return options.replayOnly ? this.build(last.engine.config, true) : last.engine;
    const loaded = await loadConfig(this.files, new Map([[ref.path, next]]));
    if (!loaded.ok) {
      // A save would not take effect either: the app keeps the last valid policy until then.
      const errors = loaded.config.issues
        .filter((i) => i.severity === 'error')
        .map(
          (i) => `${i.file}${i.line ? `:${i.line}` : ''}: ${i.key ? `${i.key}: ` : ''}${i.message}`,
        );
      throw new BridgeError(
        'conflict',
        `The policy files have errors, so these edits would not take effect: ${errors.join('; ')}`,
      );
    }
    if (options.replayOnly) return this.build(loaded.config, true);
    const engine = this.build(loaded.config);
    this.lastDraft = { key, config: current, issues: this.store.issues(), engine };
    return engine;
  }

  /** One file's text after `edits`, validated as a save validates it; throws what a save throws. */
  private async prepare(
    which: 'workspace' | 'user',
    edits: readonly PolicyEdit[],
  ): Promise<{ file: string; next: string }> {
    const file = this.fileFor(which);
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const edited = editedPolicyText(text, edits, { layer: which, file });
    const { next } = edited;
    const errors = [...edited.errors];
    if (which === 'workspace') errors.push(...(await this.workspaceProviderProblems(edits)));
    const provider = edits.findLast((e) => e.kind === 'agent-provider')?.value;
    if (provider) {
      const known = await this.providerNames(
        which === 'workspace' ? { workspace: next } : { user: next },
      );
      if (!known.has(provider)) {
        errors.push(
          `agent.provider: "${provider}" is neither a builtin provider (${BUILTIN_AGENT_PROVIDERS.join(', ')}) nor a custom provider of either vtcode.toml`,
        );
      }
    }
    if (errors.length > 0) {
      throw new BridgeError('invalid-argument', `Not saved: ${errors.join('; ')}`);
    }
    return { file, next };
  }

  /** The model settings in force and each file's own (`[agent]`, `[[custom_providers]]`). */
  async agentSettings(
    override: { workspace?: string; user?: string } = {},
  ): Promise<AgentSettingsView> {
    const read = async (path: string): Promise<string | null> => {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    };
    const workspaceFile = join(this.workspace, CONFIG_FILE_NAME);
    const workspace = readAgentFileSettings(
      override.workspace ?? (await read(workspaceFile)),
      workspaceFile,
    );
    const userText = override.user ?? (await read(this.userFile));
    const user = readAgentFileSettings(userText, this.userFile);
    // Say in the workspace file's problems what its endpoints may not do (provider-trust.ts).
    const trusted = readFileProviderSettings(userText ?? '', 'user', this.userFile).providers;
    const vetted = vetWorkspaceProviders(
      workspace.path,
      workspace.customProviders.map((p) => ({
        name: p.name,
        apiFormat: p.apiFormat,
        ...(p.baseUrl === null ? {} : { baseUrl: p.baseUrl }),
        ...(p.apiKeyEnv === null ? {} : { apiKeyEnv: p.apiKeyEnv }),
      })),
      new Map(trusted.map((p) => [p.name.toLowerCase(), { file: this.userFile }])),
    );
    // That its own endpoints get no key is said beside the form, not as a problem.
    workspace.warnings.push(...vetted.warnings);
    const pick = (field: 'provider' | 'defaultModel') => {
      if (workspace[field] !== null) {
        return {
          value: workspace[field],
          source: { layer: 'workspace' as const, file: workspace.path },
        };
      }
      if (user[field] !== null) {
        return { value: user[field], source: { layer: 'user' as const, file: user.path } };
      }
      return { value: null, source: { layer: 'default' as const, file: null } };
    };
    const provider = pick('provider');
    const model = pick('defaultModel');
    return {
      provider: provider.value,
      providerSource: provider.source,
      defaultModel: model.value,
      defaultModelSource: model.source,
      files: { workspace, user },
    };
  }

  /** Why custom providers being saved to the workspace file could not do what they say. */
  private async workspaceProviderProblems(edits: readonly PolicyEdit[]): Promise<string[]> {
    const edit = edits.findLast((e) => e.kind === 'custom-providers');
    if (!edit) return [];
    const user = (await this.agentSettings()).files.user;
    const trusted = new Map(
      user.customProviders.map((p) => [p.name.toLowerCase(), { file: user.path }]),
    );
    return edit.value.flatMap((p) => {
      const refusal = workspaceRefusal(p.name, trusted);
      if (refusal !== null) return [`custom_providers "${p.name}": ${refusal}`];
      if (p.apiKeyEnv !== null) {
        return [
          `custom_providers "${p.name}": api_key_env cannot be set in a workspace file (it would choose which variable is sent as a key); save the endpoint in your user settings to use a key with it`,
        ];
      }
      return [];
    });
  }

  /** Providers `[agent] provider` may name: the builtin ones and every custom one (bare names). */
  private async providerNames(override: {
    workspace?: string;
    user?: string;
  }): Promise<Set<string>> {
    const view = await this.agentSettings(override);
    const names = new Set<string>(BUILTIN_AGENT_PROVIDERS);
    for (const p of [...view.files.user.customProviders, ...view.files.workspace.customProviders]) {
      names.add(p.name.toLowerCase());
      names.add(`custom:${p.name.toLowerCase()}`);
    }
    return names;
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
    this.store.close();
  }
}

/** Policies per workspace, shared by every window or tab that has the workspace open. */
export class PolicyService {
  private parser: Promise<ShellParser> | null = null;
  private readonly open = new Map<string, Promise<WorkspacePolicy>>();

  constructor(
    private readonly options: { paths: AppPaths; env: NodeJS.ProcessEnv; logger: Logger },
  ) {}

  /** The policy of a workspace (loaded once, then kept live). */
  forWorkspace(workspace: string): Promise<WorkspacePolicy> {
    let policy = this.open.get(workspace);
    if (!policy) {
      this.parser ??= createShellParser();
      policy = this.parser.then((parser) =>
        WorkspacePolicy.open({
          workspace,
          parser,
          paths: this.options.paths,
          env: this.options.env,
        }),
      );
      policy.catch((error: unknown) => {
        this.options.logger.error('could not load the workspace policy', { workspace, error });
        this.open.delete(workspace);
      });
      this.open.set(workspace, policy);
    }
    return policy;
  }

  /**
   * Lint the policy in force in a workspace: its rules, its files' keys, and (for "never
   * matched") the sealed records of its activity log; programs on PATH say what loose rules match.
   */
  async lint(workspace: string): Promise<PolicyLintResult> {
    const policy = await this.forWorkspace(workspace);
    const engine = policy.current();
    const { records, warnings } = await readWorkspaceActivity(
      workspace,
      engine.config.audit,
      this.options.paths,
    );
    if (warnings.length > 0)
      this.options.logger.warn('activity log lines skipped for lint', {
        workspace,
        count: warnings.length,
      });
    return lintResult(engine.config, {
      engine,
      knownTools: policy.tools(),
      activity: records,
      programs: await pathPrograms(this.options.env.PATH ?? ''),
    });
  }

  /** The effective policy of a workspace, under a mode and with a session's grants when given. */
  async explain(
    workspace: string,
    options: Omit<ExplainOptions, 'tools'> = {},
  ): Promise<PolicyExplain> {
    const policy = await this.forWorkspace(workspace);
    const engine = policy.current();
    return explainPolicy(engine.config, {
      ...options,
      tools: policy.tools(),
      permissions: engine.permissions,
    });
  }

  /** Read every open workspace's files again now (the user file changed under them). */
  async reloadAll(): Promise<void> {
    for (const policy of await Promise.allSettled([...this.open.values()])) {
      if (policy.status === 'fulfilled') await policy.value.configStore.reload();
    }
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    for (const policy of await Promise.allSettled(all)) {
      if (policy.status === 'fulfilled') policy.value.close();
    }
  }
}
