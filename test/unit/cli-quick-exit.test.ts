import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { filledWorkspace, runCli } from './cli-fixture';

/**
 * A read command that ends 0 with its output written ends the process at once (process.exit in the
 * launcher, main/cli/index.ts mayExitAtOnce) instead of letting Node tear the heap down first (issue
 * 12, 19e). 'beforeExit' is what tells the two apart: Node emits it when the event loop runs dry,
 * never on process.exit. Every byte still reaches the reader, through a pipe too, and other commands
 * and failures end as before.
 */
const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'delivery-inspector.js');
let dir: string;
let file: string;

before(() => {
  ({ dir, file } = filledWorkspace('di-cli-quick-exit-', 1500, 19));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The launcher run with stdout and stderr pipes; "beforeExit" on stderr when Node's loop ran dry. */
function launch(args: readonly string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `process.argv.splice(1, 0, 'bin'); process.on('beforeExit', () => require('node:fs').writeSync(2, 'beforeExit')); require(${JSON.stringify(bin)})`,
      ...args,
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, DELIVERY_INSPECTOR_CODE_CACHE: dir } },
  );
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const READS: readonly string[][] = [
  ['count', '--q', 'status:error', '--json'],
  ['facets', '--top', '3'],
  // Larger than a pipe's buffer (64 KiB): the streamed rows are all written before the exit.
  ['query', '--limit', '1500', '--json'],
  ['query', '--q', '-status:ok', '--limit', '700', '--ndjson'],
  ['query', '--limit', '40'],
  ['lookup', 'nobody@example.invalid', '--json'],
];

test('a read command that succeeds ends at once, with all of its output', async () => {
  for (const a of READS) {
    const args = [...a, '--db', file];
    const r = launch(args);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.err, '', `${a.join(' ')} ended by Node's loop running dry`);
    const inProcess = await runCli(args);
    assert.ok(inProcess.out.length > 0);
    assert.equal(r.out, inProcess.out, `stdout of ${a.join(' ')}`);
  }
});

test('other commands, help and failures end as before, when the event loop runs dry', () => {
  const imports = launch(['imports', '--db', file]);
  assert.equal(imports.status, 0);
  assert.equal(imports.err, 'beforeExit');
  const help = launch(['count', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.out, /^Usage: delivery-inspector count/);
  const usage = launch(['count', '--db', file, '--bogus']);
  assert.equal(usage.status, 2);
  assert.match(usage.err, /unknown option|--bogus/);
  assert.match(usage.err, /beforeExit$/);
  const missing = launch(['count', '--db', path.join(dir, 'missing.sqlite')]);
  assert.equal(missing.status, 1);
  assert.match(missing.err, /beforeExit$/);
});
