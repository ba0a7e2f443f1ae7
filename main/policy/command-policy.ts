import {
  MAX_COMMAND_LENGTH,
  type CommandDecision,
  type CommandPart,
  type Decision,
} from '../../shared/domain/policy';
import { allowCheck, optionsVerdict } from './allow-check';
import {
  denyCheck,
  hazardCheck,
  matchAny,
  pathVerdict,
  redirectDeny,
  redirects,
} from './command-checks';
import { part, stricter, worse, type CommandContext, type State } from './command-types';
import { commandViews, programBasename, type CommandView } from './normalise';
import { builtinRef } from './rules';
import { arithmeticHazard } from './arithmetic';
import { planShell } from './shell-decide';
import { SHELLS } from './shell-invocation';
import type { SimpleCommand } from './shell-parser';
import { visibleScripts } from './visible-text';

export { describeRule, stricter, type CommandContext } from './command-types';

export { MAX_COMMAND_LENGTH };
const MAX_NESTING = 8;

/** Decide a command line: every simple command in it on its own; deny > prompt > allow. */
export function decideCommand(
  ctx: CommandContext,
  command: string,
): CommandDecision & { cacheable: boolean } {
  const state = newState(command, false);
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
  if (state.unseen) scanVisible(ctx, command, state);
  const arithmetic = arithmeticHazard(command);
  if (arithmetic)
    state.parts.push(
      part(
        { text: command },
        [],
        'prompt',
        arithmetic,
        builtinRef('arithmetic on variables is never allowed'),
      ),
    );
  return summarise(state.parts, !state.usedFs);
}

function newState(command: string, scanning: boolean): State {
  return {
    parts: [],
    memo: new Map(),
    usedFs: false,
    visible: [],
    unseen: false,
    scanning,
    dotglob: /dotglob|GLOBIGNORE/.test(command),
  };
}

/**
 * A shell ran a script the policy cannot see: any text in the line that could be that script
 * (`echo 'rm -rf x' | bash`, `bash <(printf ...)`) is decided too, and a denial there denies.
 */
function scanVisible(ctx: CommandContext, command: string, state: State): void {
  for (const text of visibleScripts(state.visible)) {
    const scratch = newState(command, true);
    script(ctx, text, MAX_NESTING - 2, scratch);
    const denied = scratch.parts.find((p) => p.decision === 'deny');
    if (!denied) continue;
    const reason = `a shell runs a script the policy cannot see, and this line holds \`${clip(text)}\`, which is denied: ${denied.reason}`;
    state.parts.push(part({ text: command }, [], 'deny', reason, denied.rule));
    return;
  }
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
  if (!state.scanning) state.visible.push(parsed);
  for (const hazard of parsed.hazards) {
    switch (hazard.kind) {
      case 'parse_error': {
        const net = /\/dev\/(tcp|udp)\//.test(text);
        const reason = net
          ? 'uses a /dev/tcp or /dev/udp network socket'
          : `the shell parser could not parse \`${clip(hazard.text)}\``;
        const rule = net
          ? builtinRef('no /dev/tcp or /dev/udp redirections')
          : builtinRef('unparseable input is never allowed');
        state.parts.push(part(hazard, [], net ? 'deny' : 'prompt', reason, rule));
        break;
      }
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

function simple(ctx: CommandContext, cmd: SimpleCommand, depth: number, state: State): void {
  const views = commandViews(cmd.words);
  const inner = views[views.length - 1] as CommandView;
  const argv = inner.argv;
  const paths = pathVerdict(ctx, views, state);
  const denied =
    denyCheck(ctx, cmd, views) ??
    redirectDeny(ctx, cmd.redirects, state) ??
    (paths?.decision === 'deny' ? paths : null);
  if (denied) {
    state.parts.push(part(cmd, argv, 'deny', denied.reason, denied.rule));
    return;
  }
  const hazard = worse(hazardCheck(ctx, cmd, views, state), paths);
  // A shell's script is decided as commands of its own; the shell part says what else it needs.
  if (SHELLS.has(programBasename(argv[0] ?? '')) && depth < MAX_NESTING) {
    const plan = planShell(cmd, inner, (a) => matchAny(ctx.rules.allow, a));
    if (plan.unseen) state.unseen = true;
    const verdict = worse(hazard, plan.verdict);
    if (verdict)
      state.parts.push(
        part(cmd, argv, stricter(verdict.decision, 'prompt'), verdict.reason, verdict.rule),
      );
    for (const text of plan.scripts) script(ctx, text, depth + 1, state);
    return;
  }
  const allowed = allowCheck(ctx, views, cmd);
  const options = optionsVerdict(ctx, views, allowed, state);
  const verdict = allowed.verdict;
  if (options?.decision === 'deny') {
    state.parts.push(part(cmd, argv, 'deny', options.reason, options.rule));
  } else if (verdict.decision === 'deny') {
    state.parts.push(part(cmd, argv, verdict.decision, verdict.reason, verdict.rule));
  } else {
    const extra = worse(hazard, options);
    if (extra)
      state.parts.push(
        part(cmd, argv, stricter(extra.decision, 'prompt'), extra.reason, extra.rule),
      );
    else state.parts.push(part(cmd, argv, verdict.decision, verdict.reason, verdict.rule));
  }
  findExec(ctx, inner, depth, state);
}

/** `find ... -exec cmd {} ;` runs cmd: decide it as a part of its own. */
function findExec(ctx: CommandContext, view: CommandView, depth: number, state: State): void {
  const argv = view.argv;
  if (programBasename(argv[0] ?? '') !== 'find' || depth >= MAX_NESTING) return;
  for (let i = 1; i < argv.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(argv[i] ?? '')) continue;
    let end = i + 1;
    while (end < argv.length && argv[end] !== ';' && argv[end] !== '+') end++;
    const words = view.words.slice(i + 1, end);
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
