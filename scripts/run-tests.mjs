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

/**
 * The browser for the e2e tests, found by test/e2e/browser-path.ts (compiled by the build that ran
 * before us). None found: Debian/Ubuntu as root installs Chromium once; anything else fails here in
 * one line, before any test runs, so the browser tests are never skipped silently.
 */
function ensureBrowser() {
  const { findBrowser, machineProbe } = createRequire(import.meta.url)(
    path.resolve('dist/test/e2e/browser-path.js'),
  );
  let found = findBrowser(machineProbe());
  if (found.ok) return found.path;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!process.env.CHROMIUM_PATH && process.platform === 'linux' && root && isDebianLike()) {
    console.log(
      'No browser for the e2e tests: installing Chromium with apt-get (once; Debian/Ubuntu as root).',
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    const install =
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], {
        stdio: 'inherit',
        env,
      });
    found = findBrowser(machineProbe());
    if (found.ok) return found.path;
    console.error(
      `Installing Chromium with apt-get failed (${install ? `exit ${install.status}` : `apt-get update exit ${update.status}`}). ${found.reason}`,
    );
    process.exit(1);
  }
  console.error(found.reason);
  process.exit(1);
}

process.env.CHROMIUM_PATH = ensureBrowser();
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
