import { RUNNER_CHECKS } from './dangerous-runners';
import { copyLike, WRITER_CHECKS } from './dangerous-writers';
import { programBasename } from './normalise';
import {
  byTable,
  operandIndices,
  optionValue,
  targets,
  type Finding,
  type OptSpec,
} from './option-scan';
import { sedEffects } from './sed-script';

export type { Finding } from './option-scan';

/**
 * Options that make a program write files or run code, per program. A program allowed by its
 * plain rule (`cat`, `sed`, `git`) is not allowed with these: see command-policy's allowCheck.
 */
type Check = (argv: readonly string[]) => Finding[];

const runs = (why: string, takes = false): OptSpec => ({ effect: 'runs', why, takes });
const writes = (why: string): OptSpec => ({ effect: 'writes', why, takes: true, file: true });

function find(argv: readonly string[]): Finding[] {
  const out: Finding[] = [];
  argv.forEach((w, i) => {
    if (/^-(exec|execdir|ok|okdir)$/.test(w))
      out.push({ effect: 'runs', index: i, why: `\`find ${w}\` runs a command per file` });
    else if (w === '-delete')
      out.push({ effect: 'writes', index: i, why: '`find -delete` deletes files' });
    else if (/^-(fprint|fprint0|fls|fprintf)$/.test(w)) {
      const value = argv[i + 1];
      const path = value === undefined ? {} : { path: { index: i + 1, value } };
      out.push({ effect: 'writes', index: i, why: `\`find ${w}\` writes a file`, ...path });
    }
  });
  return out;
}

const SED_ARGS = 'efl';

function sed(argv: readonly string[]): Finding[] {
  const out = byTable(
    argv,
    {
      '-i': { effect: 'writes', why: '`sed -i` edits files in place' },
      '--in-place': { effect: 'writes', why: '`sed -i` edits files in place' },
      '-f': runs('`sed -f` runs a script file the policy cannot see', true),
      '--file': runs('`sed -f` runs a script file the policy cannot see', true),
    },
    SED_ARGS,
  );
  if (argv.includes('--sandbox')) return out;
  const scripts: { index: number; text: string }[] = [];
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i] ?? '';
    // Long options may be cut short (`--expr`, `--e=`), as GNU getopt_long allows.
    const long = /^--(e[a-z]*)(=|$)/.exec(w);
    const isExpression = long !== null && 'expression'.startsWith(long[1] ?? '-');
    if (w === '-e' || (isExpression && long?.[2] === ''))
      scripts.push({ index: i + 1, text: argv[++i] ?? '' });
    else if (isExpression && long?.[2] === '=')
      scripts.push({ index: i, text: w.slice(w.indexOf('=') + 1) });
    else if (/^-[^-]*e/.test(w) && !/^-[^-]*[fl][^e]*e/.test(w)) {
      const attached = w.slice(w.indexOf('e') + 1);
      scripts.push(
        attached ? { index: i, text: attached } : { index: i + 1, text: argv[++i] ?? '' },
      );
    }
  }
  if (scripts.length === 0 && !out.some((f) => f.why.includes('-f'))) {
    const first = operandIndices(argv, SED_ARGS, ['--expression', '--file', '--line-length'])[0];
    if (first !== undefined) scripts.push({ index: first, text: argv[first] ?? '' });
  }
  for (const s of scripts) {
    const effects = sedEffects(s.text);
    if (!effects) {
      out.push({ effect: 'runs', index: s.index, why: 'the sed script could not be read' });
      continue;
    }
    for (const e of effects) {
      const why =
        e.effect === 'runs'
          ? 'the sed script runs a shell command'
          : `the sed script ${e.effect} the file ${e.target}`;
      const path = e.effect === 'runs' ? {} : { path: { index: s.index, value: e.target } };
      out.push({ effect: e.effect, index: s.index, why, ...path });
    }
  }
  return out;
}

function awk(argv: readonly string[]): Finding[] {
  const out = byTable(
    argv,
    {
      '-f': runs('`awk -f` runs a program file the policy cannot see', true),
      '--file': runs('`awk -f` runs a program file the policy cannot see', true),
      '-i': runs('`awk -i` loads a library', true),
      '--include': runs('`awk -i` loads a library', true),
      '-l': runs('`awk -l` loads an extension', true),
      '--load': runs('`awk -l` loads an extension', true),
      '-E': runs('`awk -E` runs a program file', true),
      '--exec': runs('`awk -E` runs a program file', true),
    },
    'vFe',
  );
  if (out.length > 0 || argv.includes('--sandbox') || argv.includes('-S')) return out;
  const e = optionValue(argv, '-e', '--source');
  const first = e ?? operandIndices(argv, 'vFe', ['--assign', '--field-separator'])[0];
  const index = typeof first === 'number' ? first : (first?.index ?? -1);
  const program = typeof first === 'number' ? (argv[first] ?? '') : (first?.value ?? '');
  if (index >= 0 && /system\s*\(|getline|\||>/.test(program))
    out.push({ effect: 'runs', index, why: 'the awk program runs commands or writes files' });
  return out;
}

const TAR_WRITE_MODES = /^-?-?(c|r|u|x|A|create|append|update|extract|get|concatenate|delete)$/;

function tar(argv: readonly string[]): Finding[] {
  const out = byTable(
    argv,
    {
      '--to-command': runs('`tar --to-command` runs a command per file', true),
      '--checkpoint-action': runs('`tar --checkpoint-action` can run a command', true),
      '-I': runs('`tar -I` runs a compression program', true),
      '--use-compress-program': runs('`tar -I` runs a compression program', true),
      '--rsh-command': runs('`tar --rsh-command` runs a command', true),
      '--info-script': runs('`tar --info-script` runs a script', true),
      '--new-volume-script': runs('`tar -F` runs a script', true),
      '-F': runs('`tar -F` runs a script', true),
    },
    'fCTXbNgKLVH',
  );
  const cluster = argv.findIndex(
    (w, k) => k > 0 && /^-?[A-Za-z]*f$/.test(w) && !w.startsWith('--'),
  );
  const file =
    optionValue(argv, '-f', '--file') ??
    (cluster > 0 && argv[cluster + 1] !== undefined
      ? { index: cluster + 1, value: argv[cluster + 1] ?? '' }
      : null);
  if (file && /^[^/]*:/.test(file.value) && !argv.includes('--force-local'))
    out.push({ effect: 'runs', index: file.index, why: 'a remote tar archive runs rsh' });
  const first = argv[1] ?? '';
  // Old-style `tar xzf a.tar` or clustered `-xzf`: mode letters come before any option value.
  const letters = /^-?[A-Za-z]+$/.test(first) && !first.startsWith('--') ? first : '';
  const mode = [...letters.replace(/^-/, '')].find((l) => /[cruxA]/.test(l));
  const long = argv.find((w) => TAR_WRITE_MODES.test(w));
  if (mode || long) out.push({ effect: 'writes', index: 1, why: 'tar creates or extracts files' });
  return out;
}

function sshLike(argv: readonly string[]): Finding[] {
  const program = argv[0] ?? '';
  const out: Finding[] = [];
  const argLetters = program === 'ssh' ? 'BbcDEeFIiJLlmOoPpQRSWw' : 'cDFiJloPSX';
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (!w.startsWith('-') || w === '--') break;
    for (let j = 1; j < w.length; j++) {
      const letter = w[j] ?? '';
      if (!argLetters.includes(letter)) continue;
      const value = w.slice(j + 1) || argv[++i] || '';
      if (
        letter === 'o' &&
        /^(proxycommand|localcommand|permitlocalcommand|knownhostscommand|match|include|pkcs11provider|securitykeyprovider)\b/i.test(
          value,
        )
      )
        out.push({
          effect: 'runs',
          index: i,
          why: `\`-o ${value.split(/[= ]/)[0]}\` runs a command`,
        });
      else if (letter === 'F')
        out.push({
          effect: 'runs',
          index: i,
          why: `\`${program} -F\` reads a config that can run commands`,
        });
      else if (letter === 'S' && program !== 'ssh')
        out.push({ effect: 'runs', index: i, why: `\`${program} -S\` runs another program` });
      else if (letter === 'E' && program === 'ssh')
        out.push({
          effect: 'writes',
          index: i,
          why: '`ssh -E` writes a log file',
          path: { index: i, value },
        });
      break;
    }
  }
  return out;
}

/** The table: program -> the options and operands that make it write or run something. */
const CHECKS: Readonly<Record<string, Check>> = {
  ...RUNNER_CHECKS,
  ...WRITER_CHECKS,
  find,
  sed,
  awk,
  gawk: awk,
  mawk: awk,
  nawk: awk,
  tar,
  ssh: sshLike,
  scp: sshLike,
  sftp: sshLike,
  rg: (argv) =>
    byTable(
      argv,
      {
        '--pre': runs('`rg --pre` runs a program on every file', true),
        '--hostname-bin': runs('`rg --hostname-bin` runs a program to name the host', true),
        '-z': runs('`rg -z` runs decompression programs'),
        '--search-zip': runs('`rg -z` runs decompression programs'),
      },
      'efgtTmABCjMrEd',
    ),
  sort: (argv) =>
    byTable(
      argv,
      {
        '-o': writes('`sort -o` writes a file'),
        '--output': writes('`sort -o` writes a file'),
        '--compress-program': runs('`sort --compress-program` runs a program', true),
      },
      'kotST',
    ),
  rsync: (argv) => [
    ...byTable(
      argv,
      {
        '-e': runs('`rsync -e` runs a remote shell command', true),
        '--rsh': runs('`rsync -e` runs a remote shell command', true),
        '--rsync-path': runs('`rsync --rsync-path` runs a command', true),
      },
      'fBT',
    ),
    ...copyLike(
      'rsync writes it',
      'efBT',
    )(argv).filter((f) => !/^[^/]*:/.test(f.path?.value ?? '')),
  ],
  less: (argv) => [
    ...argv
      .map((w, index) => ({ w, index }))
      .filter(({ w, index }) => index > 0 && w.startsWith('+'))
      .map(({ index }) => ({
        effect: 'runs' as const,
        index,
        why: '`less +cmd` runs less commands',
      })),
    ...byTable(
      argv,
      {
        '-o': writes('`less -o` writes a log file'),
        '-O': writes('`less -O` writes a log file'),
        '--log-file': writes('`less -o` writes a log file'),
        '--LOG-FILE': writes('`less -O` writes a log file'),
        '-k': runs('`less -k` loads key bindings that can run commands', true),
        '--lesskey-file': runs('`less -k` loads key bindings that can run commands', true),
        '--lesskey-src': runs('`less --lesskey-src` loads key bindings', true),
      },
      'bhjpPtTxyz#',
    ),
  ],
  man: (argv) =>
    byTable(
      argv,
      {
        '-P': runs('`man -P` runs a pager command', true),
        '--pager': runs('`man -P` runs a pager command', true),
        '-H': runs('`man -H` runs a browser'),
        '--html': runs('`man -H` runs a browser'),
        '-C': runs('`man -C` reads a config that names programs', true),
        '--config-file': runs('`man -C` reads a config that names programs', true),
      },
      'LmMSesrpRE',
    ),
  zip: (argv) => [
    ...byTable(
      argv,
      {
        '-TT': runs('`zip -TT` runs a test command', true),
        '--unzip-command': runs('`zip -TT` runs a test command', true),
        '-T': runs('`zip -T` runs unzip'),
        '--test': runs('`zip -T` runs unzip'),
      },
      'bntx',
    ),
    ...targets(argv, operandIndices(argv, 'bntx').slice(0, 1), 'zip writes the archive'),
  ],
};

/** What argv's options and operands make its program do (empty for unknown programs). */
export function dangerousOptions(argv: readonly string[]): Finding[] {
  const program = programBasename(argv[0] ?? '');
  const check = CHECKS[program] ?? (/^python[0-9.]*$/.test(program) ? CHECKS.python : undefined);
  return check ? check(argv) : [];
}
