import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { COLUMNS } from '../../common/columns';
import { fillRecords } from '../../bench/query-data';
import { openDatabase } from '../../main/engine/db/open';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { insertRecord } from './query-fixture';
import { runCli, type CliRun } from './cli-fixture';

let dir: string;
let file: string;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'di-qcli-'));
  file = path.join(dir, 'w.sqlite');
  const db = openDatabase(file);
  fillRecords(db, { rows: 800, seed: 3 });
  insertRecord(db, {
    message_to: 'jane@kunde.de',
    correlation_id: 'c-1',
    creation_time: '2026-10-01 00:00:00.000',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'HARD_BOUNCE',
    smtp_status_code: '550 5.1.1 unknown',
    version: 1,
  });
  insertRecord(db, {
    message_to: 'jane@kunde.de',
    correlation_id: 'c-2',
    creation_time: '2026-10-02 00:00:00.000',
    status: 'ERROR',
    substatus: 'DROPPED',
    status_details: 'PREVIOUSLY_BOUNCED',
    version: 1,
  });
  insertRecord(db, {
    message_to: 'jane@kunde.de',
    correlation_id: 'c-2',
    creation_time: '2026-10-02 00:00:01.000',
    status: 'ERROR',
    substatus: 'DROPPED',
    status_details: 'PREVIOUSLY_BOUNCED',
    version: 2,
  });
  updateSearchIndex(db);
  db.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(...argv: string[]): Promise<CliRun> {
  return runCli(argv);
}

function json(out: string): Record<string, unknown> {
  return JSON.parse(out) as Record<string, unknown>;
}

test('query --json: total plus rows keyed by the export header names, sorted as asked', async () => {
  const r = await run(
    'query',
    '--db',
    file,
    '--q',
    'status:error',
    '--sort',
    'Message Size:desc',
    '--limit',
    '5',
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const body = json(r.out) as { total: number; rows: Record<string, unknown>[] };
  const count = json((await run('count', '--db', file, '--q', 'status:error', '--json')).out) as {
    count: number;
  };
  assert.equal(body.total, count.count);
  assert.equal(body.rows.length, 5);
  assert.deepEqual(
    Object.keys(body.rows[0] ?? {}),
    COLUMNS.map((c) => c.header),
  );
  const sizes = body.rows.map((row) => row['Message Size'] as number);
  assert.deepEqual(
    sizes,
    [...sizes].sort((a, b) => b - a),
  );
  for (const row of body.rows) assert.equal(row.Status, 'ERROR');
  // Column ids work for --sort too, and more than a page is paged through.
  const many = json(
    (await run('query', '--db', file, '--sort', 'message_size', '--limit', '1500', '--json')).out,
  ) as { rows: unknown[] };
  assert.equal(many.rows.length, 803);
});

test('count, facets, correlation and lookup --json shapes', async () => {
  const count = json((await run('count', '--db', file, '--json')).out);
  assert.deepEqual(count, { count: 803 });
  const facets = json((await run('facets', '--db', file, '--top', '3', '--json')).out);
  assert.deepEqual(Object.keys(facets), [
    'status',
    'substatus',
    'status_details',
    'smtp_class',
    'to_domain',
    'region',
    'interface',
  ]);
  const status = facets.status as { value: string; count: number }[];
  assert.ok(status.every((b) => typeof b.value === 'string' && typeof b.count === 'number'));
  assert.ok((facets.to_domain as unknown[]).length <= 3);

  const corr = json((await run('correlation', '--db', file, 'c-2', '--json')).out) as {
    correlationId: string;
    entries: {
      record: Record<string, unknown>;
      changes: { column: string; from: unknown; to: unknown }[];
      explanation: unknown;
    }[];
    priorHardBounces: Record<string, unknown>[];
  };
  assert.equal(corr.correlationId, 'c-2');
  assert.deepEqual(
    corr.entries.map((e) => e.record.Version),
    [1, 2],
  );
  assert.ok(corr.entries[1]?.changes.some((c) => c.column === 'Version' && c.from === 1 && c.to === 2));
  assert.deepEqual(
    corr.priorHardBounces.map((r) => r['Correlation ID']),
    ['c-1'],
  );

  const lookup = json((await run('lookup', '--db', file, 'jane@kunde.de', 'nobody@x.de', '--json')).out) as {
    results: { address: string; found: number }[];
  };
  assert.deepEqual(
    lookup.results.map((l) => [l.address, l.found]),
    [
      ['jane@kunde.de', 3],
      ['nobody@x.de', 0],
    ],
  );
});

test('human output is a readable table', async () => {
  const r = await run('query', '--db', file, '--q', 'jane@kunde.de', '--limit', '2');
  assert.equal(r.code, 0);
  assert.match(r.out, /^Creation Time\s+Message To\s+Status/);
  assert.match(r.out, /2 of 3 records/);
  const l = await run('lookup', '--db', file, 'nobody@x.de');
  assert.match(l.out, /nobody@x\.de\s+0\s+not found/);
});

test('exit codes: 2 for usage and search syntax (pointing at the term), 1 for a missing database', async () => {
  const syntax = await run('count', '--db', file, '--q', 'status:error colour:red');
  assert.equal(syntax.code, 2);
  assert.match(syntax.err, /Unknown field "colour" in "colour:red".*characters 14-23/);
  assert.equal((await run('query', '--db', file, '--sort', 'nonsense')).code, 2);
  assert.equal((await run('query', '--db', file, '--limit', 'many')).code, 2);
  assert.equal((await run('query', '--db', file, '--bogus', 'x')).code, 2);
  assert.equal((await run('count')).code, 2);
  assert.equal((await run('correlation', '--db', file)).code, 2);
  assert.equal((await run('lookup', '--db', file)).code, 2);
  const missing = await run('count', '--db', path.join(dir, 'nope.sqlite'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot open workspace/);
});
