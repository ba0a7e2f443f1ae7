import type { ActivityRecord, Decider } from '../../../shared/domain/activity';
import type { RuleRef } from '../../../shared/domain/policy';

/*
 * The Activity view's words: who decided a record, what an answer was, where a rule lives.
 * Pure, so the wording is tested without a DOM.
 */

const ANSWERS: Record<NonNullable<ActivityRecord['answer']>, string> = {
  'approved-once': 'allowed once',
  'approved-session': 'allowed for this session',
  'approved-always': 'always allowed (rule added)',
  'approved-edits': 'allowed edits here (setting saved)',
  denied: 'denied',
  cancelled: 'cancelled (the turn was stopped)',
};

const MODES: Record<string, string> = {
  plan: 'plan',
  ask: 'ask',
  auto_edit: 'auto-edit',
  full_auto: 'full auto',
};

/** Where a rule is written: "workspace vtcode.toml", "user vtcode.toml", a --config file, "built in". */
export function ruleWhere(rule: RuleRef): string {
  switch (rule.source.layer) {
    case 'workspace':
      return 'workspace vtcode.toml';
    case 'user':
      return 'user vtcode.toml';
    case 'explicit':
      return rule.source.file?.split(/[\\/]/).pop() ?? '--config file';
    case 'default':
      return 'built in';
  }
}

/** A rule in one line: "rule `git *` (allow_glob, workspace vtcode.toml)". */
export function ruleInWords(rule: RuleRef): string {
  const where = ruleWhere(rule);
  switch (rule.kind) {
    case 'builtin':
      return `built-in rule: ${rule.entry}`;
    case 'tool_policy':
      return `setting \`${rule.entry}\` (${where})`;
    case 'default_policy':
      return `default policy \`${rule.entry}\` (tools.default_policy, ${where})`;
    case 'human_in_the_loop':
      return `no rule allows it, so a person decides (security.human_in_the_loop, ${where})`;
    case 'sensitive_path':
      return `secret path \`${rule.entry}\` (sandbox.sensitive_paths, ${where})`;
    case 'workspace_boundary':
      return `outside the workspace (${where})`;
    case 'permission':
      return `rule \`${rule.entry}\` (${rule.section}, ${where})`;
    case 'allow_list':
    case 'deny_list':
    case 'allow_glob':
    case 'deny_glob':
    case 'allow_regex':
    case 'deny_regex':
    case 'approval_prefixes':
      return `rule \`${rule.entry}\` (${rule.kind}, ${where})`;
  }
}

/** Who decided, in words: a rule, "you: allowed once", "session grant `npm test`", "mode: plan". */
export function deciderInWords(by: Decider, answer?: ActivityRecord['answer']): string {
  switch (by.kind) {
    case 'rule':
      return ruleInWords(by.rule);
    case 'user':
      return `you: ${answer ? ANSWERS[answer] : 'answered'}`;
    case 'grant':
      return `session grant \`${by.text}\``;
    case 'mode':
      return `mode: ${MODES[by.mode] ?? by.mode}`;
    case 'headless':
      return by.answer === 'deny' ? 'headless: denied' : 'headless: approved (--yes)';
  }
}

/** The command a record is about (the whole line, for "add a rule like this"), if it has one. */
export function recordCommand(record: ActivityRecord): string | null {
  for (const s of record.subjects) if (s.kind === 'command') return s.command;
  return null;
}

/**
 * Whether a row offers "add a rule like this": a call with a command that asked, or was denied
 * by the mode or a headless run while the policy itself would have asked.
 */
export function offersRule(record: ActivityRecord): boolean {
  // An allow rule cannot undo what the policy itself denied (any deny wins), so none is offered.
  return (
    record.kind === 'call' &&
    record.decision !== 'allow' &&
    record.policy.decision !== 'deny' &&
    recordCommand(record) !== null
  );
}

/** Time of a record for its row: the time today, the day and time otherwise (local). */
export function recordTime(at: string, now: Date = new Date()): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const time = d.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const sameDay =
    d.getFullYear() === now.getFullYear() &&
    d.getMonth() === now.getMonth() &&
    d.getDate() === now.getDate();
  return sameDay
    ? time
    : `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}
