import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { filledWorkspace, runCli } from './cli-fixture';

/**
 * bin/delivery-inspector.js runs the read commands from dist/main/cli/bundle.js (scripts/build-cli.mjs)
 * and the others from their own files: every output and exit code must be the one main() gives
 * in-process from the compiled modules, also for errors thrown by a command outside the bundle (its
 * UsageError and EngineError are the bundle's classes only because those modules stay shared).
 */
const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'delivery-inspector.js');
const cliDir = path.join(root, 'dist', 'main', 'cli');
let dir: string;
let file: string;

before(() => {
  ({ dir, file } = filledWorkspace('di-cli-bundle-', 2000, 12));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function spawnCli(args: readonly string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the build leaves a bundle of the read commands that the launcher takes', () => {
  const bundle = path.join(cliDir, 'bundle.js');
  assert.ok(existsSync(bundle), 'npm run build:node writes dist/main/cli/bundle.js');
  assert.ok(statSync(bundle).mtimeMs >= statSync(path.join(cliDir, 'index.js')).mtimeMs);
  // Which entry the launcher loaded: the bundle's main module is bundle.js.
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(bin)}); process.on('exit', () => console.log(Object.keys(require.cache).join('\\n')))`,
    ],
    { encoding: 'utf8' },
  );
  const loaded = r.stdout.split('\n');
  assert.ok(loaded.includes(bundle), 'the launcher required bundle.js');
  assert.ok(!loaded.includes(path.join(cliDir, 'index.js')));
});

test('bundled and unbundled give the same output and exit code', async () => {
  const cases: string[][] = [
    [],
    ['--help'],
    ['count', '--help'],
    ['count', '--db', file],
    ['count', '--db', file, '--q', 'status:error', '--json'],
    ['count', '--db', file, '--q', 'status:'],
    ['count', '--db', path.join(dir, 'missing.sqlite')],
    ['count', '--db', file, '--bogus'],
    ['facets', '--db', file, '--q', '-status:ok', '--top', '3', '--json'],
    ['query', '--db', file, '--q', 'region:DE1', '--limit', '5'],
    ['query', '--db', file, '--limit', '3', '--json'],
    ['query', '--db', file, '--limit', '3', '--json', '--ndjson'],
    ['lookup', '--db', file, 'nobody@example.com', '--json'],
    ['correlation', '--db', file, 'no-such-id'],
    // Commands outside the bundle: their usage errors (UsageError from the shared args module) are 2.
    ['import'],
    ['imports', '--db', file, '--json'],
    ['imports', '--db', file, '--bogus'],
    ['explain', '550 5.1.1 user unknown', '--json'],
    ['domains', '--db', file, '--limit', '2', '--json'],
    ['nope'],
  ];
  for (const args of cases) {
    const inProcess = await runCli(args);
    const spawned = spawnCli(args);
    const label = args.join(' ') || '(no arguments)';
    assert.equal(spawned.code, inProcess.code, `exit code of ${label}`);
    assert.equal(spawned.out, inProcess.out, `stdout of ${label}`);
    assert.equal(spawned.err, inProcess.err, `stderr of ${label}`);
  }
});

/** The files a command line of the launcher loaded (require.cache at exit, printed on stderr); it must exit 0. */
function loadedFiles(args: readonly string[]): string[] {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `process.argv.splice(1, 0, 'bin'); process.on('exit', () => console.error(Object.keys(require.cache).join('\\n'))); require(${JSON.stringify(bin)})`,
      ...args,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stderr.split('\n');
}

test('query and count load neither the importer nor the Excel code', () => {
  // commands/rows.ts took parseTimeZone from commands/import.ts, and with it the importer, the Excel
  // reader and iconv-lite: 54 of the 178 modules `query` loaded.
  for (const command of ['query', 'count', 'correlation']) {
    const args = command === 'correlation' ? [command, '--db', file, 'x'] : [command, '--db', file];
    const loaded = loadedFiles(args);
    for (const heavy of [
      '/engine/import/importer.js',
      '/engine/xlsx/',
      '/iconv-lite/',
      '/commands/import.js',
    ])
      assert.ok(!loaded.some((f) => f.includes(heavy)), `${command} loaded ${heavy}`);
  }
});

test('the read commands take better-sqlite3 from the bundle and its addon without `bindings`', () => {
  // Its 12 lib files loaded one by one and `bindings`' search for the addon cost 20-30 ms of CPU a
  // command (README, issue 12, 16c): the bundle holds the JavaScript and requires the addon by path.
  const sqliteDir = path.join(root, 'node_modules', 'better-sqlite3');
  for (const command of ['query', 'count', 'facets', 'lookup']) {
    const args = command === 'lookup' ? [command, '--db', file, 'x@example.com'] : [command, '--db', file];
    const loaded = loadedFiles(args);
    const fromPackage = loaded.filter((f) => f.startsWith(sqliteDir + path.sep));
    assert.deepEqual(
      fromPackage,
      [path.join(sqliteDir, 'build', 'Release', 'better_sqlite3.node')],
      `${command}: only the addon is loaded from the package`,
    );
    assert.ok(
      !loaded.some((f) => f.includes(`${path.sep}bindings${path.sep}`)),
      `${command} loaded bindings`,
    );
  }
});

test("the read commands load no package file but better-sqlite3's addon", () => {
  // fastest-levenshtein, reached through the insights' address table, was loaded from node_modules:
  // 1.3-1.7 ms of wall, 3.7-4.3 ms of CPU a command (issue 12, 19e); the bundle holds it now.
  const modules = path.join(root, 'node_modules') + path.sep;
  const addon = path.join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  for (const command of ['query', 'count', 'facets']) {
    const fromPackages = loadedFiles([command, '--db', file]).filter((f) => f.startsWith(modules));
    assert.deepEqual(fromPackages, [addon], `${command}: files loaded from node_modules`);
  }
});

test('a command that writes nothing to stderr does not make the stderr stream', () => {
  // Node builds process.stderr on first access; for a pipe that loads its socket code (`net`), 2.3-3
  // ms of CPU. stdout goes to a file here, so nothing else needs `net`.
  const report = path.join(dir, 'modules.txt');
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `process.argv.splice(1, 0, 'bin'); process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, process.moduleLoadList.join('\\n'))); require(${JSON.stringify(bin)})`,
      'count',
      '--db',
      file,
      '--json',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const modules = readFileSync(report, 'utf8').split('\n');
  assert.ok(modules.includes('NativeModule fs'), 'the list names the builtin modules loaded');
  assert.ok(!modules.includes('NativeModule net'), 'stderr was made as a socket');
});
