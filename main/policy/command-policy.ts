import {
  MAX_COMMAND_LENGTH,
  type CommandDecision,
  type CommandPart,
  type Decision,
  type RuleRef,
} from '../../shared/domain/policy';
import { decidePath, lexicalPath, sensitiveMatch, type PathContext } from './path-policy';
import { builtinRef, ruleText, type CommandRules, type CompiledRule } from './rules';
import { commandViews, ELEVATING_WRAPPERS, programBasename, type CommandView } from './normalise';
import type { ShellParser, ShellRedirect, SimpleCommand } from './shell-parser';
import type { ShellWord } from './shell-words';

/** Everything a command decision needs; built once per effective config. */
export interface CommandContext {
  readonly parser: ShellParser;
  readonly rules: CommandRules;
  readonly paths: PathContext;
  /** What an unmatched command gets, and the rule that says so. */
  readonly fallback: {
    readonly decision: Decision;
    readonly rule: RuleRef;
    readonly reason: string;
  };
}

const MAX_NESTING = 8;

// Variables that change which program runs or what it loads.
const DANGEROUS_VARS =
  /^(PATH|LD_[A-Z_]+|DYLD_[A-Z_]+|BASH_ENV|ENV|IFS|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|PS4|CDPATH|GLOBIGNORE|BASH_FUNC_.*|GIT_(PAGER|SSH|SSH_COMMAND|EDITOR|SEQUENCE_EDITOR|EXTERNAL_DIFF|ASKPASS|EXEC_PATH|PROXY_COMMAND|CONFIG|CONFIG_GLOBAL|CONFIG_SYSTEM|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|DIR|WORK_TREE|TEMPLATE_DIR)|PAGER|MANPAGER|EDITOR|VISUAL|NODE_OPTIONS|NODE_PATH|PYTHONSTARTUP|PYTHONPATH|PYTHONHOME|PERL5OPT|PERL5LIB|PERLLIB|RUBYOPT|RUBYLIB|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|npm_config_[a-z_]+|NPM_CONFIG_[A-Z_]+)$/;
const CODE_RUNNERS = new Set([
  'eval',
  'source',
  '.',
  'alias',
  'unalias',
  'trap',
  'enable',
  'hash',
  'fc',
  'coproc',
]);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox']);
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);
const SAFE_DEVICES = /^\/dev\/(null|stdout|stderr|stdin|tty|zero|fd\/\d+)$/;
const NET_DEVICES = /^\/dev\/(tcp|udp)\//;

const RANK: Readonly<Record<Decision, number>> = { allow: 0, prompt: 1, deny: 2 };

/** The stricter of two decisions: deny beats prompt beats allow. */
export function stricter(a: Decision, b: Decision): Decision {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Describe a rule for a person: "deny_glob `rm *` in /ws/vtcode.toml [commands]". */
export function describeRule(ref: RuleRef): string {
  if (ref.kind === 'builtin') return `built-in rule: ${ref.entry}`;
  const where = ref.source.file ? ` in ${ref.source.file} [${ref.section}]` : ' (built-in default)';
  return `${ref.kind} \`${ref.entry}\`${where}`;
}

interface State {
  readonly parts: CommandPart[];
  /** Parts already decided in this command line, by source text (long inputs repeat a lot). */
  readonly memo: Map<string, CommandPart[]>;
  /** Set when a decision looked at the file system, so it must not be cached. */
  usedFs: boolean;
}

function part(
  cmd: { text: string },
  argv: readonly string[],
  decision: Decision,
  reason: string,
  rule: RuleRef | null,
): CommandPart {
  return { command: argv.join(' '), argv: [...argv], text: cmd.text, decision, reason, rule };
}

/** Decide a command line: every simple command in it on its own; deny > prompt > allow. */
export function decideCommand(
  ctx: CommandContext,
  command: string,
): CommandDecision & { cacheable: boolean } {
  const state: State = { parts: [], memo: new Map(), usedFs: false };
  if (command.includes('\0')) {
    const p = part(
      { text: command },
      [],
      'deny',
      'the command contains a NUL byte',
      builtinRef('no NUL bytes'),
    );
    return summarise([p], false);
  }
  if (command.trim() === '') {
    return summarise(
      [part({ text: command }, [], 'prompt', 'the command is empty', builtinRef('empty command'))],
      true,
    );
  }
  if (command.length > MAX_COMMAND_LENGTH) {
    const p = part(
      { text: command.slice(0, 200) },
      [],
      'prompt',
      'the command is longer than 1 MB',
      builtinRef('length limit'),
    );
    return summarise([p], true);
  }
  script(ctx, command, 0, state);
  return summarise(state.parts, !state.usedFs);
}

function summarise(
  parts: CommandPart[],
  cacheable: boolean,
): CommandDecision & { cacheable: boolean } {
  let decision: Decision = 'allow';
  for (const p of parts) decision = stricter(decision, p.decision);
  const first = parts.find((p) => p.decision === decision);
  const reason =
    parts.length === 0
      ? 'nothing in the command runs a program'
      : decision === 'allow'
        ? parts.length === 1
          ? (first?.reason ?? '')
          : `all ${parts.length} parts are allowed`
        : (first?.reason ?? '');
  return { kind: 'command', decision, parts, reason, cacheable };
}

function script(ctx: CommandContext, text: string, depth: number, state: State): void {
  const parsed = ctx.parser.parse(text);
  for (const hazard of parsed.hazards) {
    switch (hazard.kind) {
      case 'parse_error':
        if (/\/dev\/(tcp|udp)\//.test(text)) {
          state.parts.push(
            part(
              hazard,
              [],
              'deny',
              'uses a /dev/tcp or /dev/udp network socket',
              builtinRef('no /dev/tcp or /dev/udp redirections'),
            ),
          );
          break;
        }
        state.parts.push(
          part(
            hazard,
            [],
            'prompt',
            `the shell parser could not parse \`${clip(hazard.text)}\``,
            builtinRef('unparseable input is never allowed'),
          ),
        );
        break;
      case 'function_definition':
        state.parts.push(
          part(
            hazard,
            [],
            'prompt',
            'defines a shell function',
            builtinRef('function definitions are never allowed'),
          ),
        );
        break;
      case 'redirect_group': {
        const worst = redirects(ctx, hazard.redirects ?? [], state);
        if (worst) state.parts.push(part(hazard, [], worst.decision, worst.reason, worst.rule));
        break;
      }
    }
  }
  for (const cmd of parsed.commands) {
    const key = `${depth}\0${cmd.text}`;
    const seen = state.memo.get(key);
    if (seen) {
      state.parts.push(...seen);
      continue;
    }
    const before = state.parts.length;
    simple(ctx, cmd, depth, state);
    state.memo.set(key, state.parts.slice(before));
  }
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

interface Verdict {
  readonly decision: Decision;
  readonly reason: string;
  readonly rule: RuleRef | null;
}

function simple(ctx: CommandContext, cmd: SimpleCommand, depth: number, state: State): void {
  const values = cmd.words.map((w) => w.value);
  const views = commandViews(values);
  const inner = views[views.length - 1] as CommandView;
  const argv = inner.argv;

  const denied = denyCheck(ctx, cmd, views) ?? redirectDeny(ctx, cmd.redirects, state);
  if (denied) {
    state.parts.push(part(cmd, argv, 'deny', denied.reason, denied.rule));
    return;
  }
  // Interpreters given a script string: the string's own commands are the parts.
  if (depth < MAX_NESTING && SHELLS.has(argv[0] ?? '')) {
    const cIndex = argv.findIndex((w, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w));
    const wordIndex = cIndex + (values.length - argv.length);
    const scriptWord = cmd.words[wordIndex + 1];
    if (cIndex > 0 && scriptWord && !scriptWord.dynamic && !inner.unsure) {
      const hazard = hazardCheck(ctx, cmd, views, state);
      if (hazard) state.parts.push(part(cmd, argv, hazard.decision, hazard.reason, hazard.rule));
      script(ctx, scriptWord.value, depth + 1, state);
      return;
    }
  }
  const hazard = hazardCheck(ctx, cmd, views, state);
  const verdict = allowCheck(ctx, views, cmd);
  if (hazard && verdict.decision !== 'deny') {
    state.parts.push(
      part(cmd, argv, stricter(hazard.decision, 'prompt'), hazard.reason, hazard.rule),
    );
  } else {
    state.parts.push(part(cmd, argv, verdict.decision, verdict.reason, verdict.rule));
  }
  findExec(ctx, cmd, argv, depth, state);
}

function matchAny(rules: readonly CompiledRule[], argv: readonly string[]): CompiledRule | null {
  const text = ruleText(argv);
  for (const rule of rules) if (rule.test(argv, text)) return rule;
  return null;
}

function denyCheck(
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
  for (const word of [...cmd.words, ...cmd.assignments.map((a) => a.value)]) {
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

function redirectDeny(
  ctx: CommandContext,
  list: readonly ShellRedirect[],
  state: State,
): Verdict | null {
  const worst = redirects(ctx, list, state);
  return worst?.decision === 'deny' ? worst : null;
}

/** The strictest verdict over a command's redirections, or null when they are all harmless. */
function redirects(
  ctx: CommandContext,
  list: readonly ShellRedirect[],
  state: State,
): Verdict | null {
  let worst: Verdict | null = null;
  const raise = (v: Verdict): void => {
    if (!worst || RANK[v.decision] > RANK[worst.decision]) worst = v;
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
    if (
      SAFE_DEVICES.test(target.value) ||
      r.op === '<<' ||
      r.op === '<<-' ||
      r.op === '<<<' ||
      r.op === '<&'
    )
      continue;
    if (target.dynamic) {
      if (writes)
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

function hazardCheck(
  ctx: CommandContext,
  cmd: SimpleCommand,
  views: readonly CommandView[],
  state: State,
): Verdict | null {
  const first = cmd.words[0];
  for (const a of cmd.assignments) {
    if (DANGEROUS_VARS.test(a.name))
      return {
        decision: 'prompt',
        reason: `sets ${a.name}, which changes how commands run`,
        rule: builtinRef('no PATH/LD_*/GIT_* overrides'),
      };
  }
  for (const view of views) {
    for (const env of view.envAssignments) {
      const name = env.slice(0, env.indexOf('='));
      if (DANGEROUS_VARS.test(name))
        return {
          decision: 'prompt',
          reason: `sets ${name}, which changes how commands run`,
          rule: builtinRef('no PATH/LD_*/GIT_* overrides'),
        };
    }
  }
  if (first && (first.dynamic || first.glob)) {
    return {
      decision: 'prompt',
      reason: `the program name \`${first.text}\` is computed at run time`,
      rule: builtinRef('program names must be literal'),
    };
  }
  const inner = views[views.length - 1] as CommandView;
  const program = inner.argv[0] ?? '';
  if (CODE_RUNNERS.has(program))
    return {
      decision: 'prompt',
      reason: `\`${program}\` runs code the policy cannot see`,
      rule: builtinRef('eval/source/alias are never allowed'),
    };
  if (SHELLS.has(program) && inner.argv.length === 1)
    return {
      decision: 'prompt',
      reason: `\`${program}\` runs a script from standard input`,
      rule: builtinRef('shells reading stdin are never allowed'),
    };
  if (inner.unsure)
    return {
      decision: 'prompt',
      reason: 'a wrapper option could not be understood',
      rule: builtinRef('wrappers must be understood'),
    };
  const redirect = redirects(ctx, cmd.redirects, state);
  if (redirect) return redirect;
  return null;
}

function allowCheck(
  ctx: CommandContext,
  views: readonly CommandView[],
  cmd: SimpleCommand,
): Verdict {
  const outer = views[0] as CommandView;
  const inner = views[views.length - 1] as CommandView;
  if (inner.argv.length === 0) {
    return {
      decision: 'allow',
      reason: 'only sets shell variables',
      rule: builtinRef('plain variable assignments'),
    };
  }
  const elevated = views.some((v) => v.wrapper !== null && ELEVATING_WRAPPERS.has(v.wrapper));
  const ask = matchAny(ctx.rules.ask, inner.argv);
  if (ask) return { decision: 'prompt', reason: `asks by ${describeRule(ask.ref)}`, rule: ask.ref };
  const allow = elevated
    ? matchAny(ctx.rules.allow, outer.argv)
    : matchAny(ctx.rules.allow, inner.argv);
  if (allow)
    return { decision: 'allow', reason: `allowed by ${describeRule(allow.ref)}`, rule: allow.ref };
  if (elevated)
    return {
      decision: 'prompt',
      reason: `\`${cmd.text.split(' ')[0] ?? ''}\` runs the command as another user`,
      rule: builtinRef('sudo needs a rule for the whole command'),
    };
  return ctx.fallback;
}

/** `find ... -exec cmd {} ;` runs cmd: decide it as a part of its own. */
function findExec(
  ctx: CommandContext,
  cmd: SimpleCommand,
  argv: readonly string[],
  depth: number,
  state: State,
): void {
  if (argv[0] !== 'find' || depth >= MAX_NESTING) return;
  const offset = cmd.words.length - argv.length;
  for (let i = 1; i < argv.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(argv[i] ?? '')) continue;
    let end = i + 1;
    while (end < argv.length && argv[end] !== ';' && argv[end] !== '+') end++;
    const words = cmd.words.slice(offset + i + 1, offset + end);
    if (words.length > 0)
      simple(
        ctx,
        { text: words.map((w) => w.text).join(' '), assignments: [], words, redirects: [] },
        depth + 1,
        state,
      );
    i = end;
  }
}
