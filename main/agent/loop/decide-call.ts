import type { CommandPart, Decision, PathDecision, RuleRef } from '../../../shared/domain/policy';
import type { PolicyEngine } from '../../policy/engine';
import type { FileBaseline } from '../../policy/file-baseline';
import { builtinRef } from '../../policy/rules';
import { pathRulesDecide } from '../../policy/tool-rule';
import type { AgentTool, ToolSubject } from '../tools/tool-types';

const RANK: Record<Decision, number> = { allow: 0, prompt: 1, deny: 2 };

/** A call as the policy decided it, before the mode and session grants. */
export interface Verdict {
  readonly decision: Decision;
  readonly reason: string;
  readonly rule: RuleRef | null;
  readonly paths: ReadonlyMap<string, PathDecision>;
  readonly command: string | null;
  /** Every part of every command, each with its own decision and rule. */
  readonly parts: readonly CommandPart[];
  /** Everything asked about, whole: the dialog shows it all, never a cut line. */
  readonly subject: string;
  /** Files the command's programs interpret: the new baseline when the user approves. */
  readonly watched: readonly string[];
  /** A file a command interprets changed: it asks for that, whatever else allows it. */
  readonly changedFiles: boolean;
  readonly subjects: readonly ToolSubject[];
}

/** The rule of a prompt the file baseline made (not the policy): a backtest leaves it out. */
export const CHANGED_FILES = builtinRef(
  'a file a command runs as code changed, so a person decides',
);

/**
 * Decide a call: the tool's policy, then each command (part by part) and each path; then, with
 * `files`, whether a file an allowed command interprets (package.json, Makefile) has changed.
 */
export function decideCall(
  policy: PolicyEngine,
  tool: AgentTool,
  subjects: readonly ToolSubject[],
  files: FileBaseline | null = null,
): Verdict {
  return decideSubjects(policy, tool.name, subjects, files);
}

/** decideCall by the tool's name: what a backtest replays from the activity log. */
export function decideSubjects(
  policy: PolicyEngine,
  toolName: string,
  subjects: readonly ToolSubject[],
  files: FileBaseline | null = null,
): Verdict {
  const td = policy.decideTool(toolName);
  const paths = new Map<string, PathDecision>();
  let worst: { decision: Decision; reason: string; rule: RuleRef | null } = td;
  let command: string | null = null;
  const parts: CommandPart[] = [];
  const watched: string[] = [];
  let changedFiles = false;
  const consider = (d: { decision: Decision; reason: string; rule: RuleRef | null }): void => {
    if (RANK[d.decision] > RANK[worst.decision]) worst = d;
  };
  const hasCommand = subjects.some((s) => s.kind === 'command');
  // A default deny (not a setting of the tool) still lets [permissions] path and host rules speak.
  const byDefault = td.decision === 'deny' && td.rule?.kind === 'default_policy' && !hasCommand;
  if (td.decision !== 'deny' || byDefault) {
    const decided = subjects.map((s) =>
      s.kind === 'path'
        ? policy.decidePath(s.path, s.op)
        : s.kind === 'url'
          ? policy.decideUrl(s.url)
          : null,
    );
    // The command decision includes the shell tool's own policy, so it replaces the tool's.
    if (hasCommand) worst = { decision: 'allow', reason: td.reason, rule: td.rule };
    // `[permissions]` rules for every path and host of the call stand in for the tool's default
    // (`apply_patch(/docs/**)` lets a patch under docs/ through); anything else the call
    // touches, and any explicit setting of the tool, still decides.
    else if (pathRulesDecide(td, decided)) {
      const first = decided.find((d) => d !== null);
      worst = { decision: 'allow', reason: first?.reason ?? td.reason, rule: first?.rule ?? null };
    }
    // Until a command is decided, an allow stands for "nothing worse yet", not for a rule.
    let placeholder = hasCommand;
    subjects.forEach((s, i) => {
      if (s.kind === 'command') {
        command = s.command;
        const cd = policy.decideCommand(s.command);
        parts.push(...cd.parts);
        const part = cd.parts.find((x) => x.decision === cd.decision);
        const d = { decision: cd.decision, reason: cd.reason, rule: part?.rule ?? null };
        // An allowed command is allowed by its rule (allow_list `git status`), not the tool's.
        if (placeholder && d.decision === 'allow' && d.rule !== null) worst = d;
        else consider(d);
        placeholder = false;
        if (files && cd.decision !== 'deny') {
          const dir = s.cwd === undefined ? files.root : policy.decidePath(s.cwd, 'read').resolved;
          const check = files.check(cd.parts, dir);
          watched.push(...check.watched);
          if (check.reason !== null) changedFiles = true;
          if (check.reason !== null && worst.decision === 'allow')
            worst = { decision: 'prompt', reason: check.reason, rule: CHANGED_FILES };
          else if (check.reason !== null && worst.decision === 'prompt')
            worst = { ...worst, reason: `${worst.reason}; ${check.reason}` };
        }
      } else if (s.kind === 'path') {
        const d = decided[i] as PathDecision;
        paths.set(`${s.op}:${s.path}`, d);
        // A protected or secret file asks in its own words even when the tool asks anyway: the
        // person approving must see what the file does.
        const own = d.rule?.kind === 'builtin' || d.rule?.kind === 'sensitive_path';
        if (own && d.decision === 'prompt' && worst.decision === 'prompt' && worst.rule !== d.rule)
          worst = { ...d, reason: `${d.reason} (and ${worst.reason})` };
        else consider(d);
      } else {
        const d = decided[i];
        if (d) consider(d);
      }
    });
  }
  const subject = subjects
    .map((s) =>
      s.kind === 'command' ? s.command : s.kind === 'path' ? `${s.op} ${s.path}` : s.url,
    )
    .join(', ');
  return { ...worst, paths, command, parts, subject, watched, changedFiles, subjects };
}
