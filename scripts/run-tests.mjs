// `npm test`: lint, type-check, build, then every test tier; ends with one line counting all tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const results = '.test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

function step(name, command, args) {
  process.stdout.write(`\n== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status === 0;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = step('lint', 'npm', ['run', '--silent', 'lint']);
ok = step('typecheck', 'npm', ['run', '--silent', 'typecheck']) && ok;
ok = step('build', 'npm', ['run', '--silent', 'build']) && ok;

const vitestJson = join(results, 'vitest.json');
ok = step('unit and integration tests (Vitest)', 'npx', [
  'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`,
]) && ok;
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += report.numPassedTests;
  // A test file that fails to load has no failed tests of its own: count it as one failure.
  const suitesFailedToLoad = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  totals.failed += report.numFailedTests + suitesFailedToLoad;
  totals.skipped += report.numPendingTests + report.numTodoTests;
} else {
  ok = false;
}

// Browser tests in Debian's Chromium. On a developer's machine without it they are skipped, saying so;
// under CI a missing browser fails the run.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const playwrightJson = join(results, 'playwright.json');
if (!existsSync(chromium) && process.env.CI !== 'true') {
  process.stdout.write(`\nSKIPPED: browser tests need Chromium at ${chromium} (apt-get install chromium)\n`);
  totals.skipped += 1;
} else {
  ok = step('browser tests (Playwright, Chromium)', 'npx', ['playwright', 'test']) && ok;
  if (existsSync(playwrightJson)) {
    const report = JSON.parse(readFileSync(playwrightJson, 'utf8'));
    totals.passed += report.stats.expected + report.stats.flaky;
    totals.failed += report.stats.unexpected;
    totals.skipped += report.stats.skipped;
    if (report.errors?.length && report.stats.unexpected === 0) {
      totals.failed += report.errors.length;
    }
  } else {
    ok = false;
  }
}

if (!ok && totals.failed === 0) {
  // A step failed outside the counted tests (lint, types, build, a file that failed to load).
  totals.failed += 1;
}
process.stdout.write(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(ok ? 0 : 1);
