import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fillRecords } from '../../bench/query-data';
import { cacheTag, loadWithCodeCache } from '../../main/cli/code-cache';
import { openDatabase } from '../../main/engine/db/open';
import { runCli } from './cli-fixture';

/**
 * The launcher compiles the CLI bundle with a V8 code cache (main/cli/code-cache.ts). V8 takes a
 * cache for any source of the same length, so these check that a cache made from other text is never
 * used, that a damaged one is refused and replaced, and that the commands answer as without it.
 */
let dir: string;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'di-code-cache-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A module whose answer is `value` (one digit, so every version has the same length). */
function writeModule(file: string, value: number, mtimeSec: number): void {
  writeFileSync(
    file,
    `'use strict';\nconst dep = require('./dep.js');\nfunction answer() { return ${value} + dep.base; }\nexports.answer = answer;\n`,
  );
  utimesSync(file, mtimeSec, mtimeSec);
}

/** A folder `name` holding `dep.js` (base `base`) and `m.js` answering `value + base`; its paths. */
function moduleCase(name: string, base: number, value: number): { file: string; cacheDir: string } {
  const moduleDir = path.join(dir, name);
  mkdirSync(moduleDir);
  writeFileSync(path.join(moduleDir, 'dep.js'), `exports.base = ${base};\n`);
  const file = path.join(moduleDir, 'm.js');
  writeModule(file, value, 1_700_000_000);
  return { file, cacheDir: path.join(moduleDir, 'cache') };
}

function answerOf(exports: Record<string, unknown>): number {
  const fn = exports.answer;
  assert.equal(typeof fn, 'function');
  return (fn as () => number)();
}

interface ChildLoad {
  readonly state: string;
  readonly answer: number;
  readonly cacheFile: string;
}

/**
 * Loads in a new process, as the launcher does: within one process V8 reuses the script it compiled
 * for the same text and never looks at the cache given.
 */
function loadInChild(file: string, cacheDir: string, tag: string, save = true): ChildLoad {
  const loader = path.join(__dirname, '..', '..', 'main', 'cli', 'code-cache.js');
  const script = `const l = require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)}, ${JSON.stringify(tag)});
const answer = l.exports.answer();
${save ? 'l.save();' : ''}
console.log(JSON.stringify({ state: l.state, answer, cacheFile: l.cacheFile }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ChildLoad;
}

test('a cache is written after the run, read on the next, and its module answers the same', () => {
  const { file, cacheDir } = moduleCase('same', 100, 1);
  const inProcess = loadWithCodeCache(file, cacheDir, 'count');
  assert.equal(answerOf(inProcess.exports), 101);
  assert.equal(require.cache[file]?.exports, inProcess.exports, 'registered under its path, as require does');
  delete require.cache[file];
  const first = loadInChild(file, cacheDir, 'count');
  assert.deepEqual([first.state, first.answer], ['missing', 101]);
  assert.ok(existsSync(first.cacheFile));
  assert.deepEqual([loadInChild(file, cacheDir, 'count').state, first.answer], ['used', 101]);
  // Another command has its own file.
  const other = loadInChild(file, cacheDir, 'facets', false);
  assert.equal(other.state, 'missing');
  assert.notEqual(other.cacheFile, first.cacheFile);
});

test('a cache of other text of the same length is not read, and is removed by the next save', () => {
  const { file, cacheDir } = moduleCase('stale', 10, 1);
  assert.equal(loadInChild(file, cacheDir, 'count').answer, 11);
  assert.equal(loadInChild(file, cacheDir, 'count').state, 'used');
  // Rebuilt: same length, other answer. V8 alone would run the old bytecode (answer 11).
  const size = statSync(file).size;
  writeModule(file, 7, 1_700_000_100);
  assert.equal(statSync(file).size, size);
  const rebuilt = loadInChild(file, cacheDir, 'count');
  assert.deepEqual([rebuilt.state, rebuilt.answer], ['missing', 17]);
  assert.deepEqual(readdirSync(cacheDir), [path.basename(rebuilt.cacheFile)]);
  assert.deepEqual([loadInChild(file, cacheDir, 'count').state, rebuilt.answer], ['used', 17]);
});

test('a damaged cache is refused, the module still loads, and save replaces it', () => {
  const { file, cacheDir } = moduleCase('damaged', 0, 3);
  const good = loadInChild(file, cacheDir, 'query');
  const goodBytes = readFileSync(good.cacheFile);
  for (const bytes of [
    Buffer.from('not a code cache'),
    goodBytes.subarray(0, goodBytes.length >> 1),
    Buffer.alloc(0),
  ]) {
    writeFileSync(good.cacheFile, bytes);
    const damaged = loadInChild(file, cacheDir, 'query');
    assert.deepEqual([damaged.state, damaged.answer], [bytes.length === 0 ? 'missing' : 'rejected', 3]);
    assert.equal(loadInChild(file, cacheDir, 'query').state, 'used', 'written again');
  }
});

test('a cache directory that cannot be written leaves the module working', () => {
  const { file, cacheDir: notADir } = moduleCase('unwritable', 0, 5);
  writeFileSync(notADir, 'a file where the directory would be');
  const loaded = loadWithCodeCache(file, notADir, 'count');
  assert.equal(answerOf(loaded.exports), 5);
  assert.doesNotThrow(() => loaded.save());
  delete require.cache[file];
});

test('a module that throws while loading is not left in require.cache', () => {
  const file = path.join(dir, 'throws.js');
  writeFileSync(file, "throw new Error('broken module');\n");
  assert.throws(() => loadWithCodeCache(file, path.join(dir, 'throws-cache'), 'count'), /broken module/);
  assert.equal(require.cache[file], undefined);
});

test('cache tags are command names; anything else shares one tag', () => {
  assert.equal(cacheTag('count'), 'count');
  assert.equal(cacheTag('remove-import'), 'remove-import');
  for (const odd of [undefined, '', '../x', 'Count', 'a/b', 'x'.repeat(40)])
    assert.equal(cacheTag(odd), 'other');
});

test('the launcher answers the same with a cache as without, and --help writes none', async () => {
  const root = path.resolve(__dirname, '../../..');
  const bin = path.join(root, 'bin', 'delivery-inspector.js');
  // A private cache folder: other test files run the launcher at the same time, into the shared one.
  const cacheDir = path.join(dir, 'launcher-cache');
  const file = path.join(dir, 'w.sqlite');
  const db = openDatabase(file);
  fillRecords(db, { rows: 1500, seed: 14 });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  rmSync(cacheDir, { recursive: true, force: true });
  const spawn = (args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], {
      encoding: 'utf8',
      env: { ...process.env, DELIVERY_INSPECTOR_CODE_CACHE: cacheDir },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  spawn(['count', '--help']);
  spawn(['facets', '--db', path.join(dir, 'missing.sqlite')]);
  assert.ok(!existsSync(cacheDir) || readdirSync(cacheDir).length === 0, 'no cache from --help or a failure');
  const cases = [
    ['count', '--db', file, '--q', '-status:error', '--json'],
    ['facets', '--db', file, '--q', 'region:DE1', '--top', '3'],
    ['query', '--db', file, '--q', 'status:ok', '--limit', '4', '--json'],
  ];
  for (const args of cases) {
    const expected = await runCli(args);
    const first = spawn(args);
    const cached = readdirSync(cacheDir).filter((n) => n.startsWith(`bundle.${args[0] ?? ''}.`));
    assert.equal(cached.length, 1, `${args.join(' ')} wrote its cache`);
    const second = spawn(args);
    for (const got of [first, second]) {
      assert.equal(got.code, expected.code);
      assert.equal(got.out, expected.out);
      assert.equal(got.err, expected.err);
    }
  }
});
