import { operandIndices, optionValue, targets, type Finding } from './option-scan';

/**
 * Programs whose operands are files they write: each such operand is decided as a path write
 * (inside the workspace: as the rule says; outside: prompt; sensitive or protected: deny).
 */
type Check = (argv: readonly string[]) => Finding[];

function targetsOf(why: string, shortArgs = '', longArgs: readonly string[] = []): Check {
  return (argv) => targets(argv, operandIndices(argv, shortArgs, longArgs), why);
}

/** cp/mv/install/ln: the destination (`-t DIR` or the last operand) is written. */
export function copyLike(why: string, shortArgs: string, all = false): Check {
  return (argv) => {
    const dir = optionValue(argv, '-t', '--target-directory');
    const ops = operandIndices(argv, shortArgs, ['--suffix', '--target-directory', '--mode']);
    if (all || (argv[0] === 'install' && argv.some((w) => /^-[^-]*d/.test(w))))
      return targets(argv, ops, why);
    if (dir) return [{ effect: 'target', index: dir.index, why, path: dir }];
    const last = ops[ops.length - 1];
    return ops.length >= 2 && last !== undefined ? targets(argv, [last], why) : [];
  };
}

function dd(argv: readonly string[]): Finding[] {
  const out: Finding[] = [];
  argv.forEach((w, index) => {
    if (w.startsWith('of='))
      out.push({
        effect: 'target',
        index,
        why: 'dd writes it',
        path: { index, value: w.slice(3) },
      });
    else if (w.startsWith('if='))
      out.push({ effect: 'reads', index, why: 'dd reads it', path: { index, value: w.slice(3) } });
  });
  return out;
}

function modeFirst(why: string): Check {
  return (argv) => {
    const ops = operandIndices(argv, '', ['--reference']);
    const files = argv.some((w) => w.startsWith('--reference')) ? ops : ops.slice(1);
    return targets(argv, files, why);
  };
}

/** Program -> its written operands. */
export const WRITER_CHECKS: Readonly<Record<string, Check>> = {
  tee: targetsOf('tee writes it'),
  cp: copyLike('cp writes it', 'St'),
  mv: copyLike('mv moves it', 'St', true),
  install: copyLike('install writes it', 'gmoSt'),
  ln: copyLike('ln creates it', 'St'),
  dd,
  truncate: targetsOf('truncate changes it', 'rs', ['--reference', '--size']),
  touch: targetsOf('touch changes it', 'rdt', ['--reference', '--date']),
  mkdir: targetsOf('mkdir creates it', 'm', ['--mode']),
  rmdir: targetsOf('rmdir removes it'),
  rm: targetsOf('rm removes it'),
  unlink: targetsOf('unlink removes it'),
  shred: targetsOf('shred overwrites it', 'nsx', ['--iterations', '--size', '--random-source']),
  chmod: modeFirst('chmod changes it'),
  chown: modeFirst('chown changes it'),
  chgrp: modeFirst('chgrp changes it'),
};
