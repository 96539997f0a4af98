import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fillRecords } from '../../bench/query-data';
import { openDatabase } from '../../main/engine/db/open';
import { RECORD_INDEXES } from '../../main/engine/db/migrations';

/**
 * The CLI as a Unix tool, run as a real child process (finding 10 of the hardening review): output
 * streamed in flat memory, EPIPE ending quietly with 0, --help per command, consistent exit codes.
 */
const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'delivery-inspector.js');
let dir: string;
let file: string;
/** Rows in the generated workspace: enough that buffering them all would not fit the heap limit below. */
const ROWS = 100_000;
/** A Correlation ID with this many records, so its output overflows a pipe buffer. */
const CORR_ROWS = 3000;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'di-cli-stream-'));
  file = path.join(dir, 'w.sqlite');
  const db = openDatabase(file);
  fillRecords(db, { rows: 1000, seed: 4 });
  // Multiplied in SQL without indexes (seconds instead of minutes), then the time index the default sort uses.
  for (const i of RECORD_INDEXES) db.exec(`DROP INDEX IF EXISTS ${i.name}`);
  db.exec('DROP INDEX IF EXISTS records_row_key');
  const cols = (db.prepare('PRAGMA table_info(records)').all() as { name: string }[])
    .map((c) => c.name)
    .filter((n) => n !== 'id');
  const pick = (c: string, k: string): string =>
    c === 'row_key' ? `row_key || '-' || ${k}` : c === 'creation_time_ms' ? `creation_time_ms + ${k}` : c;
  db.exec(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${ROWS / 1000 - 1})
    INSERT INTO records (${cols.join(', ')}) SELECT ${cols.map((c) => pick(c, 'n')).join(', ')} FROM records CROSS JOIN k`);
  db.exec(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${CORR_ROWS})
    INSERT INTO records (${cols.join(', ')})
    SELECT ${cols.map((c) => (c === 'correlation_id' ? "'corr-many'" : c === 'version' ? 'n' : pick(c, "'c' || n"))).join(', ')}
    FROM (SELECT * FROM records LIMIT 1) CROSS JOIN k`);
  for (const i of RECORD_INDEXES)
    if (i.name === 'records_time' || i.name === 'records_correlation') db.exec(i.sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  // Reports the child's peak resident memory on exit (a preload: the CLI itself has no such hook).
  writeFileSync(
    path.join(dir, 'rss.js'),
    "process.on('exit', () => require('fs').writeSync(2, '\\nmaxrss_kb=' + process.resourceUsage().maxRSS + '\\n'));\n",
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outBytes: number;
}

/** Runs the CLI in a child process; stdout is only counted (and kept when `keep`), never buffered whole. */
function cli(args: readonly string[], opts: { nodeArgs?: string[]; keep?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), bin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let outBytes = 0;
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (opts.keep) stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, outBytes }));
  });
}

function maxRssMb(stderr: string): number {
  const m = /maxrss_kb=(\d+)/.exec(stderr);
  assert.ok(m, `no maxrss in ${stderr}`);
  return Number(m[1]) / 1024;
}

test('query --json streams: a large --limit runs in flat memory, under 200 MB RSS and a 48 MB heap', async () => {
  const measure = async (limit: number): Promise<{ rss: number; bytes: number }> => {
    // A JS heap far smaller than the output: buffering the rows (as before) dies with an out-of-memory error.
    const r = await cli(['query', '--db', file, '--limit', String(limit), '--json'], {
      nodeArgs: ['--max-old-space-size=48', '-r', path.join(dir, 'rss.js')],
    });
    assert.equal(r.code, 0, r.stderr);
    return { rss: maxRssMb(r.stderr), bytes: r.outBytes };
  };
  const small = await measure(10_000);
  const large = await measure(ROWS + CORR_ROWS);
  assert.ok(
    large.bytes > 8 * small.bytes,
    `output grew with the rows (${small.bytes} -> ${large.bytes} bytes)`,
  );
  assert.ok(large.bytes > 80e6, `output larger than the heap limit (${large.bytes} bytes)`);
  assert.ok(large.rss < 200, `peak RSS ${large.rss.toFixed(0)} MB`);
  // Ten times the rows, nearly the same memory (SQLite's page cache, 64 MB at most, is the rest).
  assert.ok(large.rss - small.rss < 80, `RSS ${small.rss.toFixed(0)} MB -> ${large.rss.toFixed(0)} MB`);
});

test('query --json keeps its documented shape; --ndjson gives one row object per line', async () => {
  const json = await cli(['query', '--db', file, '--limit', '3', '--json'], { keep: true });
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as { total: number; rows: Record<string, unknown>[] };
  assert.equal(doc.total, ROWS + CORR_ROWS);
  assert.equal(
    json.stdout,
    `${JSON.stringify(doc, null, 2)}\n`,
    'byte for byte what JSON.stringify(…, 2) gives',
  );
  const none = await cli(['query', '--db', file, '--q', 'zzqqxxnomatch', '--json'], { keep: true });
  assert.equal(none.stdout, `${JSON.stringify({ total: 0, rows: [] }, null, 2)}\n`);

  const nd = await cli(['query', '--db', file, '--limit', '3', '--ndjson'], { keep: true });
  const lines = nd.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(
    lines.map((l) => JSON.parse(l) as unknown),
    doc.rows,
  );
  const corr = await cli(['correlation', '--db', file, 'corr-many', '--ndjson'], { keep: true });
  const entries = corr.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { record: { Version: number } });
  assert.equal(entries.length, CORR_ROWS);
  assert.deepEqual(
    entries.slice(0, 3).map((e) => e.record.Version),
    [1, 2, 3],
  );
  const corrJson = await cli(['correlation', '--db', file, 'corr-many', '--json'], { keep: true });
  const parsed = JSON.parse(corrJson.stdout) as object;
  assert.equal(corrJson.stdout, `${JSON.stringify(parsed, null, 2)}\n`);
});

/** The CLI's stdout piped into `head -1`, as a shell does: head exits after one line. */
function intoHead(args: readonly string[]): Promise<{ code: number | null; stderr: string; head: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const head = spawn('head', ['-1'], { stdio: [child.stdout, 'pipe', 'inherit'] });
    // head has its own copy of the pipe's read end now; with ours open too, the pipe would never close.
    child.stdout.destroy();
    let stderr = '';
    let out = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    head.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    head.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, head: out }));
  });
}

test('| head -1 ends query and correlation quietly with status 0 (EPIPE), in every output mode', async () => {
  const runs: [string, string[]][] = [
    ['query --json', ['query', '--db', file, '--limit', '50000', '--json']],
    ['query --ndjson', ['query', '--db', file, '--limit', '50000', '--ndjson']],
    ['query table', ['query', '--db', file, '--limit', '50000']],
    ['correlation --json', ['correlation', '--db', file, 'corr-many', '--json']],
    ['correlation text', ['correlation', '--db', file, 'corr-many']],
  ];
  for (const [what, args] of runs) {
    const r = await intoHead(args);
    assert.equal(r.code, 0, `${what}: exit ${r.code}, stderr ${r.stderr}`);
    assert.equal(r.stderr, '', `${what}: nothing on stderr`);
    assert.equal(r.head.split('\n').filter(Boolean).length, 1, `${what}: head printed one line`);
  }
});

test('the table output works for every row of a large result', async () => {
  const r = await cli(['query', '--db', file, '--limit', String(ROWS + CORR_ROWS)], {
    nodeArgs: ['--max-old-space-size=48'],
  });
  assert.equal(r.code, 0, r.stderr);
  const tail = await cli(['query', '--db', file, '--limit', '1500'], { keep: true });
  const lines = tail.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2 + 1500 + 1, 'header, rule, rows, summary');
  assert.match(lines[0] ?? '', /^Creation Time\s+Message To\s+Status/);
  assert.equal(lines.at(-1), `1500 of ${ROWS + CORR_ROWS} records`);
});

test('every command answers --help with its own usage and exit 0', async () => {
  const { COMMANDS } = await import('../../main/cli/index');
  for (const name of Object.keys(COMMANDS)) {
    const r = await cli([name, '--help'], { keep: true });
    assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
    assert.ok(r.stdout.startsWith(`Usage: delivery-inspector ${name} `), `${name}: ${r.stdout}`);
    assert.match(r.stdout, /Exit codes: 0 success.*1 failure, 2 usage error/);
  }
  const short = await cli(['import', '-h'], { keep: true });
  assert.equal(short.code, 0);
  assert.match(short.stdout, /^Usage: delivery-inspector import --db/);
});

test('exit codes: import --db naming a CSV is a failure (1) with a clear message, and the CSV is untouched', async () => {
  const csv = path.join(dir, 'some.csv');
  const content = 'Creation Time,Message To\n2026-01-01 00:00:00,a@b.test\n';
  writeFileSync(csv, content);
  const r = await cli(['import', '--db', csv, csv]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /some\.csv is not a Delivery Inspector workspace \(not an SQLite database\)/);
  assert.equal(readFileSync(csv, 'utf8'), content);
  const exp = await cli(['export', '--db', csv, '--out', path.join(dir, 'o.csv')]);
  assert.equal(exp.code, 1);
  // Usage errors stay 2.
  assert.equal((await cli(['import', csv])).code, 2, 'missing --db');
  assert.equal((await cli(['query', '--db', file, '--json', '--ndjson'])).code, 2);
  assert.equal((await cli(['frobnicate'])).code, 2);
});
