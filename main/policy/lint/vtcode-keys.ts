/*
 * The vtcode.toml keys VT Code itself reads (its loader's serde structs, vtcode-config v0.147), so
 * lint can tell a key this app ignores but VT Code reads from a key nothing reads (a typo). Only the
 * sections this app also reads are listed key by key; VT Code's other sections are listed by name
 * and their insides are not checked.
 */

/** Top-level keys of VT Code's `VTCodeConfig`. */
export const VTCODE_TOP_LEVEL: ReadonlySet<string> = new Set([
  ...['default_primary_agent', 'features', 'file_opener', 'notify', 'history', 'tui', 'agent'],
  ...['auth', 'tools', 'commands', 'permissions', 'security', 'sandbox', 'ui', 'chat', 'pty'],
  ...['debug', 'context', 'telemetry', 'optimization', 'syntax_highlighting', 'timeouts'],
  ...['automation', 'subagents', 'prompt_cache', 'mcp', 'acp', 'ide_context', 'hooks', 'model'],
  ...['provider', 'skills', 'custom_providers', 'provider_overrides', 'providers_whitelist'],
  ...['output_style', 'dotfile_protection', 'workspace'],
]);

/**
 * Keys of the sections this app reads, as VT Code reads them. A key naming a table VT Code reads
 * (`tools.web_fetch`, `agent.onboarding`) is listed too; what is inside it is not checked.
 */
export const VTCODE_SECTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  tools: [
    ...['profile', 'default_policy', 'policies', 'max_tool_loops', 'max_repeated_tool_calls'],
    ...['max_consecutive_blocked_tool_calls_per_turn', 'max_tool_rate_per_second'],
    ...['max_sequential_spool_chunk_reads', 'web_fetch', 'web_search', 'plugins', 'editor'],
    ...['loop_thresholds', 'client_tool_search'],
  ],
  commands: [
    ...['allow_list', 'deny_list', 'allow_glob', 'deny_glob', 'allow_regex', 'deny_regex'],
    ...['approval_prefixes', 'extra_path_entries'],
  ],
  security: [
    ...['human_in_the_loop', 'require_write_tool_for_claims', 'auto_apply_detected_patches'],
    ...['zero_trust_mode', 'encrypt_payloads', 'integrity_checks', 'hitl_notification_bell'],
    'gatekeeper',
  ],
  permissions: [
    ...['auto', 'auto_permission', 'allow', 'ask', 'deny', 'enabled', 'resolve_commands'],
    ...['audit_enabled', 'audit_directory', 'log_allowed_commands', 'log_denied_commands'],
    ...['log_permission_prompts', 'cache_enabled', 'cache_ttl_seconds'],
  ],
  sandbox: [
    ...['enabled', 'default_policy', 'network', 'sensitive_paths', 'resource_limits', 'seccomp'],
    'external',
  ],
  'sandbox.network': ['policy', 'allowlist', 'allow_all', 'block_all'],
  'sandbox.sensitive_paths': ['use_defaults', 'additional', 'exceptions'],
  'sandbox.resource_limits': [
    ...['preset', 'max_memory_mb', 'max_pids', 'max_disk_mb', 'cpu_time_secs', 'timeout_secs'],
  ],
  timeouts: [
    ...['default_ceiling_seconds', 'pty_ceiling_seconds', 'mcp_ceiling_seconds'],
    ...['streaming_ceiling_seconds', 'long_running_command_ceiling_seconds'],
    ...['warning_threshold_percent', 'adaptive_decay_ratio', 'adaptive_success_streak'],
    'adaptive_min_floor_ms',
  ],
  pty: [
    ...['enabled', 'default_rows', 'default_cols', 'max_sessions', 'command_timeout_seconds'],
    ...['stdout_tail_lines', 'scrollback_lines', 'max_scrollback_bytes'],
    ...['large_output_threshold_kb', 'preferred_shell', 'shell_zsh_fork', 'zsh_path'],
  ],
  agent: [
    ...['provider', 'api_key_env', 'default_model', 'theme', 'system_prompt_mode'],
    ...['max_system_prompt_tokens', 'system_prompt_budget_warning', 'trim_system_prompt'],
    ...['tool_documentation_mode', 'shell_prompt_profile', 'enable_split_tool_results'],
    ...['todo_planning_mode', 'ui_surface', 'max_conversation_turns', 'idle_turn_limit'],
    ...['reasoning_effort', 'verbosity', 'temperature', 'refine_temperature'],
    ...['enable_self_review', 'max_review_passes', 'refine_prompts_enabled'],
    ...['refine_prompts_max_passes', 'refine_prompts_model', 'small_model', 'prompt_suggestions'],
    ...['onboarding', 'project_doc_max_bytes', 'project_doc_fallback_filenames'],
    ...['instruction_max_bytes', 'rule_doc_max_bytes', 'instruction_files', 'instruction_paths'],
    ...['instructions', 'instruction_excludes', 'instruction_import_max_depth'],
    ...['persistent_memory', 'custom_api_keys', 'credential_storage_mode', 'checkpointing'],
    ...['vibe_coding', 'max_task_retries', 'harness', 'codex_app_server'],
    ...['include_temporal_context', 'temporal_context_use_utc', 'include_working_directory'],
    ...['include_structured_reasoning_tags', 'user_instructions', 'require_plan_confirmation'],
    ...['circuit_breaker', 'open_responses', 'default_editing_mode'],
  ],
  context: ['max_context_tokens', 'trim_to_percent', 'preserve_recent_turns', 'ledger', 'dynamic'],
  dotfile_protection: [
    ...['enabled', 'require_explicit_confirmation', 'audit_logging_enabled', 'audit_log_path'],
    ...['prevent_cascading_modifications', 'create_backups', 'backup_directory'],
    ...['max_backups_per_file', 'preserve_permissions', 'whitelist'],
    ...['additional_protected_patterns', 'block_during_automation', 'blocked_operations'],
    'require_secondary_auth_for_whitelist',
  ],
};

/** VT Code's tool names, current and older (its docs and example config). */
export const VTCODE_TOOL_NAMES: ReadonlySet<string> = new Set([
  ...['exec_command', 'write_stdin', 'apply_patch', 'code_search', 'web_fetch', 'web_search'],
  ...['task_tracker', 'request_user_input', 'memory', 'agent', 'mcp', 'read_file', 'list_files'],
  ...['grep_file', 'write_file', 'edit_file', 'run_pty_cmd', 'create_pty_session'],
  ...['send_pty_input', 'read_pty_session', 'close_pty_session', 'list_pty_sessions'],
  'resize_pty_session',
]);
