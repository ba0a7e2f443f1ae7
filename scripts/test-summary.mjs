// Add up vitest's and Playwright's JSON reports (and the security scan) into one closing line:
//   total: N passed, N failed, N skipped
import { readFileSync } from 'node:fs';

const [vitestFile, playwrightFile, scanStatus] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

function read(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const vitest = read(vitestFile);
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
} else {
  console.log(`vitest wrote no report (${vitestFile}): counted as a failure`);
  failed += 1;
}

const playwright = read(playwrightFile);
if (playwright?.stats) {
  passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected ?? 0;
  skipped += playwright.stats.skipped ?? 0;
} else {
  console.log(`Playwright wrote no report (${playwrightFile}): counted as a failure`);
  failed += 1;
}

if (scanStatus === '0') passed += 1;
else failed += 1;

console.log(`\ntotal: ${passed} passed, ${failed} failed, ${skipped} skipped`);
