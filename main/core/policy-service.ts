import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolicyDecision, PolicySnapshot } from '../../shared/domain/policy';
import type {
  PermissionRuleList,
  PolicyCheckRequest,
  PolicyEdit,
} from '../../shared/domain/policy-edit';
import { BridgeError } from '../../shared/ipc/errors';
import { parsePermissionRule } from '../../shared/domain/permission-grammar';
import { CONFIG_FILE_NAME, configFiles } from '../config/config-loader';
import { createConfigStore, type ConfigStore } from '../config/config-store';
import { readLayer } from '../config/layer';
import { removeTomlValue, setTomlTables, setTomlValue } from '../config/toml-text';
import {
  customProviderTable,
  parseCustomProviders,
  readAgentFileSettings,
} from '../config/custom-providers';
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

/**
 * `[permissions]` rule strings that would be ignored (they do not parse), named by key: a rule
 * saved from this app always means something.
 */
function permissionRuleErrors(edits: readonly PolicyEdit[]): string[] {
  return edits.flatMap((edit) =>
    edit.kind === 'permission-rules'
      ? edit.value.flatMap((entry, i) => {
          const parsed = parsePermissionRule(entry);
          return parsed.ok
            ? []
            : [
                `permissions.${edit.list}[${i}]: ${JSON.stringify(entry)} is not a rule: ${parsed.why}`,
              ];
        })
      : [],
  );
}

/** Where an edit lands: `[section] key`, by its canonical name (older spellings resolved on save). */
function target(edit: Exclude<PolicyEdit, { kind: 'custom-providers' }>): {
  section: string;
  key: string;
  canonical: string;
} {
  const at = (section: string, key: string) => ({ section, key, canonical: `${section}.${key}` });
  switch (edit.kind) {
    case 'default-policy':
      return at('tools', 'default_policy');
    case 'max-tool-loops':
      return at('tools', 'max_tool_loops');
    case 'tool-policy':
      return at('tools.policies', edit.tool);
    case 'command-rules':
      return at('commands', edit.list);
    case 'permission-rules':
      return at('permissions', edit.list);
    case 'human-in-the-loop':
      return at('security', 'human_in_the_loop');
    case 'sandbox-policy':
      return at('sandbox', 'default_policy');
    case 'network-policy':
      return at('sandbox.network', 'policy');
    case 'network-allowlist':
      return at('sandbox.network', 'allowlist');
    case 'network-denylist':
      return at('sandbox.network', 'denylist');
    case 'sensitive-paths':
      return at('sandbox.sensitive_paths', edit.list);
    case 'agent-provider':
      return at('agent', 'provider');
    case 'agent-default-model':
      return at('agent', 'default_model');
    default: {
      const unreachable: never = edit;
      throw new Error(`unknown edit ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The live policy of one workspace: its config store (watching both files), the engine built
 * from the config in force, and saves that are validated before anything is written.
 */
export class WorkspacePolicy {
  private engine: PolicyEngine;
  private readonly listeners = new Set<(snapshot: PolicySnapshot) => void>();
  private readonly unsubscribe: () => void;

  private constructor(
    readonly workspace: string,
    private readonly store: ConfigStore,
    private readonly build: () => PolicyEngine,
    private readonly userFile: string,
    /** The user's home folder (`~/` in rules, where other tools keep their settings). */
    readonly home: string,
  ) {
    this.engine = build();
    this.unsubscribe = store.subscribe(() => {
      this.engine = this.build();
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
    const build = () =>
      createPolicyEngine({
        config: store.current(),
        parser: options.parser,
        workspace: options.workspace,
        home: options.paths.home,
        appDirs: [options.paths.configDir, options.paths.dataDir],
      });
    const userFile = join(options.paths.configDir, CONFIG_FILE_NAME);
    return new WorkspacePolicy(options.workspace, store, build, userFile, options.paths.home);
  }

  /** The live config of this workspace (the agent shares it, so saves here apply there). */
  get configStore(): ConfigStore {
    return this.store;
  }

  /** The engine for the config in force (rebuilt whenever a file changes). */
  current(): PolicyEngine {
    return this.engine;
  }

  snapshot(): PolicySnapshot {
    const snapshot = this.engine.snapshot(toolCatalog());
    // The engine keeps the last valid config; the issues are those of the latest read.
    return { ...snapshot, issues: [...this.store.issues()] };
  }

  check(request: PolicyCheckRequest): PolicyDecision {
    return 'command' in request
      ? this.engine.decideCommand(request.command)
      : this.engine.decidePath(request.path, request.op);
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
    const file = this.fileFor(which);
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const source = { layer: which, file } as const;
    const before = readLayer(text, source);
    if (text.trim() !== '' && !before.valid && before.values.size === 0) {
      const first = before.issues[0];
      throw new BridgeError(
        'conflict',
        `${file} cannot be read${first?.line ? ` (line ${first.line})` : ''}: ${first?.message ?? 'invalid TOML'}. Fix it in an editor first; nothing was saved.`,
      );
    }
    let next = text;
    for (const edit of edits) {
      if (edit.kind === 'custom-providers') {
        next = setTomlTables(next, 'custom_providers', edit.value.map(customProviderTable));
        continue;
      }
      const { section, key, canonical } = target(edit);
      // Update the key the file already uses (an older spelling stays an older spelling).
      const written = before.values.get(canonical)?.writtenKey ?? canonical;
      const at = written.lastIndexOf('.');
      const [writtenSection, writtenKey] = [
        written.slice(0, at) || section,
        written.slice(at + 1) || key,
      ];
      next =
        edit.value === null
          ? removeTomlValue(next, writtenSection, writtenKey)
          : setTomlValue(next, writtenSection, writtenKey, edit.value);
    }
    const after = readLayer(next, source);
    const errors = after.issues
      .filter((i) => i.severity === 'error')
      .map((e) => `${e.key ?? 'file'}: ${e.message}`);
    errors.push(...parseCustomProviders(next, file).warnings);
    errors.push(...permissionRuleErrors(edits));
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
    await writeFileAtomic(file, next);
    await this.store.reload();
    return this.snapshot();
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
    const engine = (await this.forWorkspace(workspace)).current();
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
      knownTools: toolCatalog(),
      activity: records,
      programs: await pathPrograms(this.options.env.PATH ?? ''),
    });
  }

  /** The effective policy of a workspace, under a mode and with a session's grants when given. */
  async explain(
    workspace: string,
    options: Omit<ExplainOptions, 'tools'> = {},
  ): Promise<PolicyExplain> {
    const engine = (await this.forWorkspace(workspace)).current();
    return explainPolicy(engine.config, {
      ...options,
      tools: toolCatalog(),
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
