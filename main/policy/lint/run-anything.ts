import type { LintFinding } from '../../../shared/domain/policy-lint';
import type { VtcodeConfig } from '../../config/effective';
import { CODE_ARGUMENTS } from '../always-allow';
import { CODE_RUNNERS } from '../command-checks';
import { decideCommand } from '../command-policy';
import type { CommandContext } from '../command-types';
import { INTERPRETER_PROGRAMS } from '../dangerous-runners';
import {
  INTERPRETER_NAMES,
  NODE_PACKAGE_MANAGERS,
  PACKAGE_RUNNERS,
  RUNNER_SUBCOMMANDS,
} from '../interpreted-files';
import { SHELLS } from '../shell-invocation';
import { builtinRef, quoteEntryWord, ruleText } from '../rules';
import { CUSTOM_WRAPPERS, WRAPPER_SPECS } from '../wrapper-specs';
import { fileName, finding, ruleName, type LintOptions, type LintedRule } from './lint-types';
import { removeFix } from './rule-set';

/**
 * A command that runs code nobody reviewed: `anything` (any program, script or inline code) or
 * `project` (a script of a project file the agent can edit: package.json, the Makefile).
 */
export interface Probe {
  readonly argv: readonly string[];
  readonly what: string;
  readonly kind: 'anything' | 'project';
}

const ANY = 'qzx-any-program';

/**
 * The probes, built from the policy's own tables: shells, interpreters, wrappers, package runners,
 * subcommands that name code to run (always-allow's list), plus `find -exec` and `git -c`.
 */
function buildProbes(): Probe[] {
  const out: Probe[] = [{ argv: [ANY, '--any', 'args'], what: 'any program', kind: 'anything' }];
  for (const s of SHELLS) {
    out.push({
      argv: [s, '-c', `${ANY} --any`],
      what: `\`${s} -c\` with any script`,
      kind: 'anything',
    });
    out.push({
      argv: [s, 'qzx-script.sh'],
      what: `\`${s}\` with any script file`,
      kind: 'anything',
    });
  }
  const interpreters = new Set([...INTERPRETER_NAMES, ...INTERPRETER_PROGRAMS]);
  for (const p of interpreters) {
    if (SHELLS.has(p)) continue;
    out.push({ argv: [p, 'qzx-script'], what: `\`${p}\` with any script file`, kind: 'anything' });
    for (const flag of ['-c', '-e', '-E', '-r', '-p', '--eval', '-Command'])
      out.push({
        argv: [p, flag, 'qzx'],
        what: `\`${p} ${flag}\` with any code`,
        kind: 'anything',
      });
  }
  const wrappers: [string, number][] = [
    ...Object.entries(WRAPPER_SPECS).map(([w, spec]): [string, number] => [
      w,
      spec.positionals ?? 0,
    ]),
    ...Object.keys(CUSTOM_WRAPPERS).map((w): [string, number] => [w, 0]),
  ];
  for (const [w, positionals] of wrappers) {
    const fill = Array.from({ length: positionals }, () => '5');
    out.push({
      argv: [w, ...fill, ANY, '--any'],
      what: `\`${w}\` with any command`,
      kind: 'anything',
    });
  }
  for (const b of CODE_RUNNERS)
    out.push({ argv: [b, ANY], what: `\`${b}\` with any code`, kind: 'anything' });
  for (const r of PACKAGE_RUNNERS)
    out.push({ argv: [r, 'qzx-package'], what: `\`${r}\` with any package`, kind: 'anything' });
  for (const m of NODE_PACKAGE_MANAGERS) {
    for (const sub of RUNNER_SUBCOMMANDS)
      out.push({
        argv: [m, sub, 'qzx-package'],
        what: `\`${m} ${sub}\` with any package`,
        kind: 'anything',
      });
    out.push({
      argv: [m, 'run', 'qzx-script'],
      what: `\`${m} run\`, which runs whatever package.json's scripts say`,
      kind: 'project',
    });
  }
  for (const [program, subs] of Object.entries(CODE_ARGUMENTS)) {
    // git's entries there name subcommands that take settings, not code: git -c is probed below.
    if (program === 'git') continue;
    for (const sub of subs)
      out.push({
        argv: [program, sub, 'qzx-package'],
        what: `\`${program} ${sub}\` with any package or program`,
        kind: 'anything',
      });
  }
  out.push(
    {
      argv: ['find', '.', '-exec', ANY, '{}', ';'],
      what: '`find -exec` with any command',
      kind: 'anything',
    },
    {
      argv: ['git', '-c', `core.pager=${ANY}`, 'log'],
      what: '`git -c` with a setting that runs any program',
      kind: 'anything',
    },
    {
      argv: ['make', 'qzx-target'],
      what: '`make`, which runs the Makefile recipes',
      kind: 'project',
    },
    {
      argv: ['just', 'qzx-recipe'],
      what: '`just`, which runs the justfile recipes',
      kind: 'project',
    },
  );
  return out;
}

let probes: Probe[] | null = null;

/** The probes (built once). */
export function runProbes(): readonly Probe[] {
  return (probes ??= buildProbes());
}

/** A context where `rule` is the only rule: what it alone lets through. */
function aloneContext(options: LintOptions, rule: LintedRule): CommandContext {
  return {
    parser: options.engine.parser,
    rules: { deny: [], ask: [], allow: [rule.compiled] },
    paths: options.engine.guard,
    fallback: {
      decision: 'prompt',
      reason: 'no rule allows it',
      rule: builtinRef('lint probe'),
    },
  };
}

const list = (items: readonly string[]): string =>
  items.length <= 3
    ? items.join(', ')
    : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;

/**
 * Allow rules that let code nobody reviewed run. Each probe the rule matches as text (as VT Code
 * matches it) is decided with the rule alone: allowed here is an error (or a warning for project
 * scripts); matched only as text is a warning, since VT Code reads the same file.
 */
export function runAnythingFindings(
  config: VtcodeConfig,
  options: LintOptions,
  allow: readonly LintedRule[],
): LintFinding[] {
  const out: LintFinding[] = [];
  for (const rule of allow) {
    const here: Probe[] = [];
    const vtcode: Probe[] = [];
    let ctx: CommandContext | null = null;
    for (const probe of runProbes()) {
      if (!rule.compiled.test(probe.argv, ruleText(probe.argv))) continue;
      ctx ??= aloneContext(options, rule);
      // Quoted for the shell: the probe must reach the parser as these very words.
      const decision = decideCommand(ctx, probe.argv.map(quoteEntryWord).join(' ')).decision;
      (decision === 'allow' ? here : vtcode).push(probe);
    }
    const anything = here.filter((p) => p.kind === 'anything');
    const project = [...here, ...vtcode].filter((p) => p.kind === 'project');
    const onlyVtcode = vtcode.filter((p) => p.kind === 'anything');
    const name = ruleName(rule.location);
    const where = fileName(rule.location);
    const fix = removeFix(config, rule.location);
    if (anything.length > 0) {
      const any = anything[0]?.what === 'any program';
      const message = any
        ? `${name} (${where}) allows any command without asking: every program, script and package runs unreviewed.`
        : `${name} (${where}) lets the agent run any code without asking: it allows ${list(anything.map((p) => p.what))}.`;
      out.push(
        finding({ severity: 'error', kind: 'runs-anything', message, rule: rule.location, fix }),
      );
    } else if (onlyVtcode.length > 0) {
      out.push(
        finding({
          severity: 'warning',
          kind: 'runs-anything',
          message: `${name} (${where}) lets VT Code run any code: it matches ${list(onlyVtcode.map((p) => p.what))}. This app still asks about those, but VT Code reads the same file and would not.`,
          rule: rule.location,
          fix,
        }),
      );
    }
    if (anything.length === 0 && project.length > 0) {
      out.push(
        finding({
          severity: 'warning',
          kind: 'runs-project-scripts',
          message: `${name} (${where}) allows ${list(project.map((p) => p.what))}. The agent can edit those files, so the rule allows whatever it writes there (this app asks again after such a file changes; VT Code does not).`,
          rule: rule.location,
          fix,
        }),
      );
    }
  }
  return out;
}
