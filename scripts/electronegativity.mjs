// Scan the Electron code with Doyensec's electronegativity and fail on any finding of medium or
// higher severity that is not justified. A justification is an inline comment on the flagged line:
//   // eng-disable CHECK_ID -- why this is safe
// and this script refuses an eng-disable comment that gives no reason after "--".
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const layers = ['main', 'preload', 'renderer'];
const work = join(root, '.tmp', 'electronegativity');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const source = join(work, 'src');
for (const layer of layers) {
  cpSync(join(root, layer), join(source, layer), {
    recursive: true,
    filter: (p) => !p.endsWith('.test.ts'),
  });
}

// 1. Every eng-disable comment must say why.
const unjustified = [];
for (const layer of layers) {
  for (const entry of readdirSync(join(root, layer), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|html)$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (/eng-disable/.test(line) && !/eng-disable\s+[A-Z_ ,]+\s+--\s+\S/.test(line)) {
          unjustified.push(`${file.slice(root.length + 1)}:${index + 1}: ${line.trim()}`);
        }
      });
  }
}

// 2. The scan itself. The release-list check needs the internet, which CI does not have.
const csv = join(work, 'report.csv');
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'electronegativity'),
  [
    '-i',
    source,
    '-r',
    '-e',
    electronVersion,
    '-x',
    'availablesecurityfixesglobalcheck',
    '-o',
    csv,
    '-v',
    'false',
  ],
  { encoding: 'utf8', timeout: 300_000 },
);
let report;
try {
  report = readFileSync(csv, 'utf8');
} catch {
  console.error(
    `electronegativity produced no report (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
  );
  process.exit(1);
}

/** Split one CSV record (RFC 4180: quoted cells, "" for a quote inside one). */
function csvCells(line) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

const findings = report
  .trim()
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((line) => {
    const [issue, severity, confidence, file, location, , description] = csvCells(line);
    return { issue, severity, confidence, file, location, description };
  });
const blocking = findings.filter((f) => ['MEDIUM', 'HIGH', 'CRITICAL'].includes(f.severity));
for (const f of findings) {
  const mark = blocking.includes(f) ? 'FAIL' : 'info';
  console.log(
    `${mark} ${f.severity.padEnd(13)} ${f.issue} ${f.file}:${f.location} ${f.description}`,
  );
}
for (const line of unjustified) console.log(`FAIL eng-disable without a reason: ${line}`);
console.log(
  `electronegativity (Electron ${electronVersion}): ${findings.length} finding(s), ${blocking.length} medium or higher, ${unjustified.length} unjustified suppression(s)`,
);
process.exit(blocking.length + unjustified.length > 0 ? 1 : 0);
