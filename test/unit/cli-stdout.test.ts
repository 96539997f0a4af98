import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { writeWholeSync } from '../../main/cli/output';
import { filledWorkspace, runCli, textSink } from './cli-fixture';

/**
 * A command whose output is one piece (count, facets, --json documents) writes it to fd 1 without
 * making Node's stdout stream (issue 12, 17c: the stream's modules, and `net` for a pipe, cost 3-7 ms
 * of CPU a command). The output, the exit code and the quiet end when the reader has gone stay as they
 * were with the stream.
 */
const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'delivery-inspector.js');
let dir: string;
let file: string;

before(() => {
  ({ dir, file } = filledWorkspace('di-cli-stdout-', 1500, 17));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const ONE_PIECE: readonly string[][] = [
  ['count'],
  ['count', '--q', 'status:error', '--json'],
  ['count', '--q', '-status:ok', '--ndjson'],
  ['facets', '--top', '3'],
  ['facets', '--q', 'region:DE1', '--top', '2', '--json'],
  ['facets', '--ndjson'],
];

/** The builtin modules a launcher run loaded, with stdout and stderr pipes; it must exit 0. */
function builtinsLoaded(args: readonly string[]): { modules: string[]; out: string } {
  const report = path.join(dir, 'modules.txt');
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `process.argv.splice(1, 0, 'bin'); process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, process.moduleLoadList.join('\\n'))); require(${JSON.stringify(bin)})`,
      ...args,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return { modules: readFileSync(report, 'utf8').split('\n'), out: r.stdout };
}

test('count and facets write their output without making the stdout stream, and it is what main() gives', async () => {
  for (const a of ONE_PIECE) {
    const args = [...a, '--db', file];
    const { modules, out } = builtinsLoaded(args);
    assert.ok(modules.includes('NativeModule fs'), 'the list names the builtin modules loaded');
    assert.ok(!modules.includes('NativeModule stream'), `${a.join(' ')} made a stream`);
    assert.ok(!modules.includes('NativeModule net'), `${a.join(' ')} made a socket`);
    const inProcess = await runCli(args);
    assert.equal(inProcess.code, 0);
    assert.ok(inProcess.out.length > 0);
    assert.equal(out, inProcess.out, `stdout of ${a.join(' ')}`);
  }
});

test('a streamed query or correlation writes its chunks to fd 1 without the stream too (19e)', async () => {
  for (const a of [
    ['query', '--limit', '2'],
    ['query', '--limit', '600', '--json'],
    ['query', '--q', 'status:error', '--ndjson'],
    ['query', '--limit', '30'],
    ['correlation', 'nothing-here', '--json'],
  ]) {
    const args = [...a, '--db', file];
    const { modules, out } = builtinsLoaded(args);
    assert.ok(!modules.includes('NativeModule stream'), `${a.join(' ')} made a stream`);
    assert.ok(!modules.includes('NativeModule net'), `${a.join(' ')} made a socket`);
    const inProcess = await runCli(args);
    assert.equal(inProcess.code, 0);
    assert.equal(out, inProcess.out, `stdout of ${a.join(' ')}`);
  }
});

test('help text still makes the stream', () => {
  assert.ok(builtinsLoaded(['count', '--help']).modules.includes('NativeModule stream'));
});

test('count, facets and query into a reader that has gone end with 0 and nothing on stderr', () => {
  // `:` exits at once, long before the command writes: the write meets a closed pipe (EPIPE).
  for (const a of [...ONE_PIECE, ['query', '--limit', '1500', '--json']]) {
    const line = [process.execPath, bin, ...a, '--db', file].map((s) => `'${s}'`).join(' ');
    const r = spawnSync('sh', ['-c', `{ ${line}; echo "rc=$?" >&2; } | :`], { encoding: 'utf8' });
    assert.equal(r.stderr, 'rc=0\n', a.join(' '));
  }
});

test('writeWholeSync writes every byte to the descriptor, and what it cannot write goes to the stream', () => {
  const text = `{"value": "Zustellung fehlgeschlagen – Postfach voll ✉"}\n${'x'.repeat(200_000)}\n`;
  const target = path.join(dir, 'out.txt');
  const fd = openSync(target, 'w');
  const unused = textSink();
  try {
    writeWholeSync(fd, text, () => unused.stream);
  } finally {
    closeSync(fd);
  }
  assert.equal(readFileSync(target, 'utf8'), text);
  assert.equal(unused.text(), '');
  // A descriptor not open for writing (EBADF): the whole text is handed to the stream.
  const readOnly = openSync(target, 'r');
  const fallback = textSink();
  try {
    writeWholeSync(readOnly, text, () => fallback.stream);
  } finally {
    closeSync(readOnly);
  }
  assert.equal(fallback.text(), text);
});

test('writeWholeSync into a closed pipe is OutputClosed', () => {
  const r = spawnSync(
    'sh',
    [
      '-c',
      `'${process.execPath}' -e "const { writeWholeSync, OutputClosed } = require(process.argv[1]); try { writeWholeSync(1, 'x\\n', () => { throw new Error('fallback'); }); process.stderr.write('written'); } catch (e) { process.stderr.write(e instanceof OutputClosed ? 'closed' : String(e)); }" '${path.join(root, 'dist', 'main', 'cli', 'output.js')}' | :`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.stderr, 'closed');
});
