import { builtinRef, ruleText, type CompiledRule } from './rules';
import {
  describeRule,
  RANK,
  worse,
  type CommandContext,
  type State,
  type Verdict,
} from './command-types';
import { programBasename, type CommandView } from './normalise';
import { decidePathWord } from './path-args';
import { decidePath, lexicalPath, sensitiveMatch } from './path-policy';
import type { ShellRedirect, SimpleCommand } from './shell-parser';
import type { ShellWord } from './shell-words';

// Variables that change which program runs or what it loads.
const DANGEROUS_VARS =
  /^(PATH|LD_[A-Z_]+|DYLD_[A-Z_]+|BASH_ENV|ENV|IFS|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|PS4|CDPATH|GLOBIGNORE|BASH_FUNC_.*|GIT_(PAGER|SSH|SSH_COMMAND|EDITOR|SEQUENCE_EDITOR|EXTERNAL_DIFF|ASKPASS|EXEC_PATH|PROXY_COMMAND|CONFIG|CONFIG_GLOBAL|CONFIG_SYSTEM|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|DIR|WORK_TREE|TEMPLATE_DIR)|PAGER|MANPAGER|EDITOR|VISUAL|NODE_OPTIONS|NODE_PATH|PYTHONSTARTUP|PYTHONPATH|PYTHONHOME|PERL5OPT|PERL5LIB|PERLLIB|RUBYOPT|RUBYLIB|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|npm_config_[a-z_]+|NPM_CONFIG_[A-Z_]+|LESSOPEN|LESSCLOSE|LESSKEY|LESSKEYIN|LESSKEY_CONTENT|MANOPT|BROWSER|SHELL|RSYNC_RSH|TAR_OPTIONS|ZIPOPT|UNZIPOPT|CURL_HOME|WGETRC|SSH_ASKPASS|SUDO_ASKPASS|RIPGREP_CONFIG_PATH|SYSTEMD_PAGER|AWKPATH|AWKLIBPATH)$/;
/** Shell builtins that run code the policy cannot see (`eval`, `source`): always asked about. */
export const CODE_RUNNERS: ReadonlySet<string> = new Set([
  ...['eval', 'source', '.', 'alias', 'unalias', 'trap', 'enable', 'hash', 'fc', 'coproc'],
]);
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);
const SAFE_DEVICES = /^\/dev\/(null|stdout|stderr|stdin|tty|zero|fd\/\d+)$/;
const NET_DEVICES = /^\/dev\/(tcp|udp)\//;

/** The first rule of `rules` that matches argv. */
export function matchAny(
  rules: readonly CompiledRule[],
  argv: readonly string[],
): CompiledRule | null {
  const text = ruleText(argv);
  for (const rule of rules) if (rule.test(argv, text)) return rule;
  return null;
}

/** A deny rule met by any view of the command, or a word naming a sensitive path. */
export function denyCheck(
  ctx: CommandContext,
  cmd: SimpleCommand,
  views: readonly CommandView[],
): Verdict | null {
  const viaXargs = views.some((v) => v.wrapper === 'xargs');
  for (const view of views) {
    const forms = [view.argv];
    // xargs appends arguments at run time: `xargs rm` must meet `rm *`.
    if (viaXargs && view.wrapper === null) forms.push([...view.argv, '{}']);
    const base = programBasename(view.argv[0] ?? '');
    if (base !== view.argv[0]) forms.push([base, ...view.argv.slice(1)]);
    for (const argv of forms) {
      const rule = matchAny(ctx.rules.deny, argv);
      if (rule)
        return { decision: 'deny', reason: `denied by ${describeRule(rule.ref)}`, rule: rule.ref };
    }
  }
  const words = new Set<ShellWord>([...cmd.words, ...cmd.assignments.map((a) => a.value)]);
  for (const view of views) for (const w of view.words) words.add(w);
  for (const word of words) {
    const hit = sensitiveWord(ctx, word);
    if (hit) return hit;
  }
  return null;
}

function sensitiveWord(ctx: CommandContext, word: ShellWord): Verdict | null {
  let value = word.value.replace(/^\$\{?HOME\}?(?=\/|$)/, ctx.paths.home);
  const eq = value.indexOf('=');
  if (value.startsWith('-') && eq > 0) value = value.slice(eq + 1);
  if (!value.includes('/') && !value.startsWith('~') && !value.startsWith('.')) return null;
  const entry = sensitiveMatch(ctx.paths, [
    lexicalPath(value, ctx.paths.workspace, ctx.paths.home),
  ]);
  return entry
    ? { decision: 'deny', reason: `touches the sensitive path ${entry.path}`, rule: entry.ref }
    : null;
}

// Programs that walk the directories they are given.
const RECURSIVE = /^(rg|ag|ack|find|fd|fdfind|du|tree|tar|zip|rsync)$/;
const RECURSIVE_FLAG = /^(-[A-Za-z]*[rRa][A-Za-z]*|--recursive|--archive|--dereference-recursive)$/;

function walksDirectories(argv: readonly string[]): boolean {
  const program = programBasename(argv[0] ?? '');
  if (RECURSIVE.test(program)) return true;
  return /^(grep|egrep|fgrep|ls|cp|scp|chmod|chown|chgrp|diff)$/.test(program)
    ? argv.some((w) => RECURSIVE_FLAG.test(w) || w === '-d' || w === '--directories=recurse')
    : false;
}

/** Every argument that may name a file, decided as bash would expand it (see path-args.ts). */
export function pathVerdict(
  ctx: CommandContext,
  views: readonly CommandView[],
  state: State,
): Verdict | null {
  const seen = new Set<ShellWord>();
  const inner = views[views.length - 1] as CommandView;
  const use = {
    op: 'read' as const,
    recursive: walksDirectories(inner.argv),
    dotglob: state.dotglob,
  };
  let worst: Verdict | null = null;
  for (const view of views) {
    for (let k = 1; k < view.words.length; k++) {
      const word = view.words[k] as ShellWord;
      if (seen.has(word)) continue;
      seen.add(word);
      const r = decidePathWord(ctx.paths, word, use);
      if (r.usedFs) state.usedFs = true;
      worst = worse(worst, r.verdict);
      if (worst?.decision === 'deny') return worst;
    }
  }
  return worst;
}

/** A denying redirection, if any. */
export function redirectDeny(
  ctx: CommandContext,
  list: readonly ShellRedirect[],
  state: State,
): Verdict | null {
  const worst = redirects(ctx, list, state);
  return worst?.decision === 'deny' ? worst : null;
}

/** The strictest verdict over a command's redirections, or null when they are all harmless. */
export function redirects(
  ctx: CommandContext,
  list: readonly ShellRedirect[],
  state: State,
): Verdict | null {
  let worst: Verdict | null = null;
  const raise = (v: Verdict | null): void => {
    if (v && (!worst || RANK[v.decision] > RANK[worst.decision])) worst = v;
  };
  for (const r of list) {
    const target = r.target;
    if (!target) continue;
    if (NET_DEVICES.test(target.value)) {
      raise({
        decision: 'deny',
        reason: `redirects to a network socket ${target.value}`,
        rule: builtinRef('no /dev/tcp or /dev/udp redirections'),
      });
      continue;
    }
    const writes = WRITE_OPS.has(r.op);
    if (r.op === '>&' && /^(\d+|-)$/.test(target.value)) continue;
    if (SAFE_DEVICES.test(target.value) || ['<<', '<<-', '<<<', '<&'].includes(r.op)) continue;
    if (target.dynamic || target.glob || /^~[^/]/.test(target.value)) {
      const use = { op: writes ? ('write' as const) : ('read' as const), recursive: false };
      const r2 = decidePathWord(ctx.paths, target, { ...use, dotglob: state.dotglob });
      if (r2.usedFs) state.usedFs = true;
      if (r2.verdict && (writes || r2.verdict.decision === 'deny')) raise(r2.verdict);
      else if (writes && target.dynamic && !r2.usedFs)
        raise({
          decision: 'prompt',
          reason: `writes to a file named at run time (${target.text})`,
          rule: builtinRef('redirections must name their file'),
        });
      continue;
    }
    state.usedFs = true;
    const path = decidePath(ctx.paths, target.value, writes ? 'write' : 'read');
    if (path.decision === 'allow') continue;
    const sensitive = path.rule?.kind === 'sensitive_path';
    if (sensitive || (writes && path.rule?.kind === 'builtin'))
      raise({ decision: 'deny', reason: path.reason, rule: path.rule });
    else if (writes)
      raise({
        decision: 'prompt',
        reason: `writes outside the workspace: ${path.reason}`,
        rule: path.rule,
      });
  }
  return worst;
}

/** Things that make a command need a person whatever the rules say. */
export function hazardCheck(
  ctx: CommandContext,
  cmd: SimpleCommand,
  views: readonly CommandView[],
  state: State,
): Verdict | null {
  const names = [
    ...cmd.assignments.map((a) => a.name),
    ...views.flatMap((v) => v.envAssignments.map((e) => e.slice(0, e.indexOf('=')))),
  ];
  const risky = names.find((n) => DANGEROUS_VARS.test(n));
  if (risky)
    return {
      decision: 'prompt',
      reason: `sets ${risky}, which changes how commands run`,
      rule: builtinRef('no PATH/LD_*/GIT_* overrides'),
    };
  const inner = views[views.length - 1] as CommandView;
  for (const first of [cmd.words[0], inner.words[0]]) {
    if (first && (first.dynamic || first.glob))
      return {
        decision: 'prompt',
        reason: `the program name \`${first.text}\` is computed at run time`,
        rule: builtinRef('program names must be literal'),
      };
  }
  const program = inner.argv[0] ?? '';
  if (CODE_RUNNERS.has(program))
    return {
      decision: 'prompt',
      reason: `\`${program}\` runs code the policy cannot see`,
      rule: builtinRef('eval/source/alias are never allowed'),
    };
  if (inner.unsure)
    return {
      decision: 'prompt',
      reason: `a wrapper cannot be followed: ${inner.unsure}`,
      rule: builtinRef('wrappers must be understood'),
    };
  return redirects(ctx, cmd.redirects, state);
}
