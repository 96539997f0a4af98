/**
 * `npm test` checks its outside tools before any test runs (scripts/run-tests.mjs): a browser the
 * user named but that is not there stops the run in one line, and no test is skipped silently.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.join(__dirname, '..', '..', '..');

test('a CHROMIUM_PATH that does not exist stops npm test before any test, in one line that says so', () => {
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs'], {
    cwd: ROOT,
    env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /CHROMIUM_PATH is set to \/nonexistent\/chromium, which does not exist\./);
  assert.doesNotMatch(r.stdout, /# pass|Installing/);
});
