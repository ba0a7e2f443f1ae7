import { matchAny } from './command-checks';
import {
  describeRule,
  worse,
  type CommandContext,
  type State,
  type Verdict,
} from './command-types';
import { dangerousOptions, type Finding } from './dangerous-options';
import { ELEVATING_WRAPPERS, type CommandView } from './normalise';
import { decidePathWord } from './path-args';
import { builtinRef, ruleText, type CompiledRule } from './rules';
import type { SimpleCommand } from './shell-parser';
import type { ShellWord } from './shell-words';

/** The allow verdict, and the rule and view it came from (options are judged against them). */
export interface AllowResult {
  readonly verdict: Verdict;
  readonly rule: CompiledRule | null;
  readonly view: CommandView | null;
}

/** Ask rules, then allow rules (on the whole command when it is elevated), then the fallback. */
export function allowCheck(
  ctx: CommandContext,
  views: readonly CommandView[],
  cmd: SimpleCommand,
): AllowResult {
  const outer = views[0] as CommandView;
  const inner = views[views.length - 1] as CommandView;
  const none = { rule: null, view: null };
  if (inner.argv.length === 0) {
    const rule = builtinRef('plain variable assignments');
    return { verdict: { decision: 'allow', reason: 'only sets shell variables', rule }, ...none };
  }
  const elevated = views.some((v) => v.wrapper !== null && ELEVATING_WRAPPERS.has(v.wrapper));
  const ask = matchAny(ctx.rules.ask, inner.argv);
  if (ask)
    return {
      verdict: { decision: 'prompt', reason: `asks by ${describeRule(ask.ref)}`, rule: ask.ref },
      ...none,
    };
  const view = elevated ? outer : inner;
  const allow = matchAny(ctx.rules.allow, view.argv);
  if (!allow) {
    if (!elevated) return { verdict: ctx.fallback, ...none };
    const reason = `\`${cmd.text.split(' ')[0] ?? ''}\` runs the command as another user`;
    const rule = builtinRef('sudo needs a rule for the whole command');
    return { verdict: { decision: 'prompt', reason, rule }, ...none };
  }
  const xargs = elevated ? null : xargsVerdict(ctx, views);
  if (xargs) return { verdict: xargs, ...none };
  const reason = `allowed by ${describeRule(allow.ref)}`;
  return { verdict: { decision: 'allow', reason, rule: allow.ref }, rule: allow, view };
}

/** xargs adds words it reads at run time: the allow must name xargs and the command it runs. */
function xargsVerdict(ctx: CommandContext, views: readonly CommandView[]): Verdict | null {
  const k = views.findIndex((v) => v.wrapper === 'xargs');
  if (k < 0) return null;
  const xv = views[k] as CommandView;
  const index = xv.argv.length - (views[k + 1]?.argv.length ?? 0);
  const rule = matchAny(ctx.rules.allow, xv.argv);
  if (rule?.covers(xv.argv, index)) return null;
  const program = xv.argv[index] ?? '';
  return {
    decision: 'prompt',
    reason: `xargs runs \`${program}\` with arguments read at run time; a rule such as \`xargs ${program}\` allows it`,
    rule: builtinRef('xargs needs a rule that names its command'),
  };
}

/**
 * What the options of every view make the programs do (dangerous-options.ts). Files written or
 * read are decided as paths; running code or writing files is asked about unless the allow rule
 * names the option itself (`allow_list = ["sed -i"]`).
 */
export function optionsVerdict(
  ctx: CommandContext,
  views: readonly CommandView[],
  allowed: AllowResult,
  state: State,
): Verdict | null {
  let worst: Verdict | null = null;
  for (const view of views) {
    for (const f of dangerousOptions(view.argv)) {
      worst = worse(worst, pathOf(ctx, view, f, state));
      if (worst?.decision === 'deny') return worst;
      if (f.effect === 'target' || f.effect === 'reads') continue;
      const covered = allowed.view === view && coveredByAllow(ctx, view.argv, f.index);
      if (!covered)
        worst = worse(worst, {
          decision: 'prompt',
          reason: f.why,
          rule: builtinRef('options that write files or run code need a rule that names them'),
        });
    }
  }
  return worst;
}

/** Some allow rule for argv names argv[index] (`allow_list = ["python3 -c"]` for `-c`). */
function coveredByAllow(ctx: CommandContext, argv: readonly string[], index: number): boolean {
  const text = ruleText(argv);
  return ctx.rules.allow.some((r) => r.test(argv, text) && r.covers(argv, index));
}

function pathOf(ctx: CommandContext, view: CommandView, f: Finding, state: State): Verdict | null {
  if (!f.path || f.path.value === '') return null;
  const base: ShellWord | undefined = view.words[f.path.index];
  const word: ShellWord = {
    text: f.path.value,
    value: f.path.value,
    dynamic: base?.dynamic ?? false,
    glob: base?.glob ?? false,
  };
  const op = f.effect === 'reads' ? ('read' as const) : ('write' as const);
  const r = decidePathWord(ctx.paths, word, {
    op,
    recursive: false,
    dotglob: state.dotglob,
    known: true,
  });
  if (r.usedFs) state.usedFs = true;
  if (!r.verdict) return null;
  if (op === 'read' && r.verdict.decision !== 'deny') return null;
  return f.effect === 'target' || r.verdict.decision === 'deny' ? r.verdict : null;
}
