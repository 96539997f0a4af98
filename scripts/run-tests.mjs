// Runs every compiled test file (unit, e2e, electron) in one node:test run, so the closing
// "# pass / # fail" lines cover the whole suite. Renderer typecheck and Electronegativity run first.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function collect(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

/** Debian or Ubuntu (or a derivative), read from /etc/os-release. */
function isDebianLike() {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(text);
  } catch {
    return false;
  }
}

/** Debian's python3 (where python3-openpyxl installs), as test/unit/xlsx-export.test.ts uses it. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const ok = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/**
 * The outside tools the tests use, each with how to check for it and its Debian package: a browser
 * for the e2e tests (found by test/e2e/browser-path.ts, compiled by the build that ran before us),
 * openpyxl as the independent reader of exported .xlsx files, poppler's pdftoppm/pdfinfo for the
 * report PDFs. Missing ones are installed once with apt-get on Debian/Ubuntu as root; anywhere else
 * the run stops here, in one line per tool, before any test runs: no test is skipped silently.
 */
function missingTools() {
  const { findBrowser, machineProbe } = createRequire(import.meta.url)(
    path.resolve('dist/test/e2e/browser-path.js'),
  );
  const browser = findBrowser(machineProbe());
  const missing = [];
  if (!browser.ok)
    missing.push({ pkg: 'chromium', reason: browser.reason, forbidden: Boolean(process.env.CHROMIUM_PATH) });
  if (!ok(PYTHON, ['-c', 'import openpyxl']))
    missing.push({
      pkg: 'python3-openpyxl',
      reason: `openpyxl (the .xlsx tests' independent reader) is not importable by ${PYTHON}: install python3-openpyxl (Debian/Ubuntu) or run "${PYTHON} -m pip install openpyxl".`,
    });
  if (!ok('pdftoppm', ['-v']) || !ok('pdfinfo', ['-v']))
    missing.push({
      pkg: 'poppler-utils',
      reason:
        'pdftoppm/pdfinfo (the report PDF tests render pages with them) not found: install poppler-utils (Debian/Ubuntu; "brew install poppler" on macOS).',
    });
  return { browser, missing };
}

function ensureTools() {
  let { browser, missing } = missingTools();
  if (missing.length === 0) return browser.path;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  // CHROMIUM_PATH names a browser that is not there: a typo to fix, not a reason to install another.
  const installable = missing.filter((m) => !m.forbidden);
  if (installable.length > 0 && process.platform === 'linux' && root && isDebianLike()) {
    const pkgs = installable.map((m) => m.pkg);
    console.log(
      `Missing for the tests: ${pkgs.join(', ')}. Installing with apt-get (once; Debian/Ubuntu as root).`,
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    const install =
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs, 'fonts-dejavu-core'], {
        stdio: 'inherit',
        env,
      });
    ({ browser, missing } = missingTools());
    if (missing.length === 0) return browser.path;
    console.error(
      `Installing with apt-get failed (${install ? `exit ${install.status}` : `apt-get update exit ${update.status}`}).`,
    );
  }
  for (const m of missing) console.error(m.reason);
  process.exit(1);
}

process.env.CHROMIUM_PATH = ensureTools();
run('npx', ['tsc', '-p', 'tsconfig.renderer.json', '--noEmit']);
if (existsSync('scripts/electronegativity.mjs')) run('node', ['scripts/electronegativity.mjs']);

const filter = process.argv[2];
const files = collect('dist/test')
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/test (did the build run?)');
  process.exit(1);
}
run(process.execPath, ['--test', '--test-concurrency=2', ...files]);
