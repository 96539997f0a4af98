import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { COLUMN_IDS, type ColumnId } from '../../common/columns';
import type { ExportRequest } from '../../common/contract';
import { formattedRowsSql, joinedRowsSql } from '../../main/engine/export/sql';
import { runExport } from '../../main/engine/export/exporter';
import { countRows, getFacets } from '../../main/engine/query';
import { compileSelect } from '../../main/engine/query/select';
import { importFiles, workspace } from './import-fixture';
import { runCli } from './cli-fixture';

const at = (id: ColumnId): number => COLUMN_IDS.indexOf(id);

/** Enum spellings as Excel round trips and hand edits leave them; other columns keep the generated values. */
const ODD: readonly (Partial<Record<ColumnId, string>> & { corr: string })[] = [
  { corr: 'e-lower', status: 'ok', substatus: 'delivered', status_details: 'ok' },
  { corr: 'e-trail', status: 'Error ', substatus: 'bounced', status_details: 'hard_bounce' },
  { corr: 'e-lead', status: ' OK', entry_interface: 'REST', processing_region: ' de1 ' },
  { corr: 'e-unknown', status: 'pending', status_details: 'Greylisted, retry', processing_region: 'mars1' },
  { corr: 'e-blank', substatus: '   ', entry_interface: 'Api' },
];

function oddFile(dir: string): { file: string; rows: string[][] } {
  const rows = [...generateRows({ rows: 40, seed: 5 })];
  ODD.forEach((o, i) => {
    const row = rows[i];
    row[at('correlation_id')] = o.corr;
    for (const [k, v] of Object.entries(o)) if (k !== 'corr') row[at(k as ColumnId)] = v;
  });
  const file = path.join(dir, 'odd.csv');
  writeFileSync(file, toCsv(rows));
  return { file, rows };
}

function rec(db: Database, corr: string): Record<string, unknown> {
  return db
    .prepare(
      'SELECT status, substatus, status_details, entry_interface, processing_region, raw_values FROM records WHERE correlation_id = ?',
    )
    .get(corr) as Record<string, unknown>;
}

async function exportAll(db: Database, out: string): Promise<string> {
  const req: ExportRequest = {
    jobId: 'x',
    path: out,
    filter: {},
    sort: [],
    delimiter: ',',
    bom: false,
    formulaGuard: false,
  };
  await runExport(db, req, { signal: new AbortController().signal, onProgress: () => undefined });
  return readFileSync(out, 'utf8');
}

test('enum values are stored trimmed and case-folded, the original text kept beside them', async () => {
  const w = workspace();
  try {
    const { file } = oddFile(w.dir);
    const f = (await importFiles(w.db, [file])).files[0];
    assert.equal(f.error, undefined);
    assert.equal(f.imported, 40);
    assert.deepEqual(rec(w.db, 'e-lower'), {
      status: 'OK',
      substatus: 'DELIVERED',
      status_details: 'OK',
      entry_interface: rec(w.db, 'e-lower').entry_interface,
      processing_region: rec(w.db, 'e-lower').processing_region,
      raw_values: JSON.stringify({ status: 'ok', substatus: 'delivered', status_details: 'ok' }),
    });
    const lead = rec(w.db, 'e-lead');
    assert.deepEqual(
      [lead.status, lead.entry_interface, lead.processing_region],
      ['OK', 'rest', 'DE1'],
      'Entry Interface folds to lower case, as documented',
    );
    assert.equal(rec(w.db, 'e-trail').status, 'ERROR');
    const unknown = rec(w.db, 'e-unknown');
    assert.deepEqual(
      [unknown.status, unknown.status_details, unknown.processing_region],
      ['PENDING', 'GREYLISTED, RETRY', 'MARS1'],
    );
    // A value of blanks is empty (NULL) for search, its blanks kept for export.
    const blank = rec(w.db, 'e-blank');
    assert.equal(blank.substatus, null);
    assert.deepEqual(JSON.parse(String(blank.raw_values)), { substatus: '   ', entry_interface: 'Api' });
    // Documented values as the portal writes them cost nothing extra.
    const plain = w.db.prepare('SELECT count(*) AS n FROM records WHERE raw_values IS NULL').get() as {
      n: number;
    };
    assert.equal(plain.n, 40 - ODD.length);
    // Unknown values are counted per column in the result (CLI --json and the UI summary show it).
    assert.deepEqual(f.unknownValues, {
      status: { rows: 1, values: ['PENDING'] },
      status_details: { rows: 1, values: ['GREYLISTED, RETRY'] },
      entry_interface: { rows: 1, values: ['api'] },
      processing_region: { rows: 1, values: ['MARS1'] },
    });
  } finally {
    w.cleanup();
  }
});

test('search, counts and facets see one value per spelling; any field:value is searchable', async () => {
  const w = workspace();
  try {
    const { file, rows } = oddFile(w.dir);
    await importFiles(w.db, [file]);
    const expected = (col: ColumnId, value: string): number =>
      rows.filter((r) => r[at(col)].trim().toUpperCase() === value).length;
    assert.equal(countRows(w.db, { q: 'status:ok' }), expected('status', 'OK'));
    assert.equal(countRows(w.db, { q: 'status:error' }), expected('status', 'ERROR'));
    assert.ok(countRows(w.db, { q: 'status:ok' }) >= 2);
    assert.equal(countRows(w.db, { q: 'status:pending' }), 1);
    assert.equal(countRows(w.db, { q: 'status:unknown' }), 0, 'a value nobody used: no rows, no error');
    assert.equal(countRows(w.db, { q: 'region:MARS1' }), 1);
    assert.equal(countRows(w.db, { q: 'details:"greylisted, retry"' }), 1);
    assert.equal(countRows(w.db, { q: 'interface:api' }), 1);
    // Grid enum filters fold the chosen values the same way.
    assert.equal(
      countRows(w.db, { conditions: [{ type: 'enum', column: 'status', values: [' ok'] }] }),
      expected('status', 'OK'),
    );
    const facets = getFacets(w.db, {}, 20);
    const statuses = facets.status.map((b) => b.value).sort();
    assert.deepEqual(
      statuses,
      ['ERROR', 'OK', 'PENDING'].filter((s) => expected('status', s) > 0),
    );
    assert.equal(
      facets.status.reduce((n, b) => n + b.count, 0),
      40,
    );
  } finally {
    w.cleanup();
  }
});

test('a re-export writes every enum value exactly as the file had it (fast and per-field paths)', async () => {
  const w = workspace();
  try {
    const { file } = oddFile(w.dir);
    await importFiles(w.db, [file]);
    // "Greylisted, retry" needs quoting, so its row goes through the per-field (JS) formatting.
    assert.equal(await exportAll(w.db, path.join(w.dir, 'out.csv')), readFileSync(file, 'utf8'));
    // The all-SQL fallback (taken when a value holds U+001F) writes the originals too.
    const cols = [...COLUMN_IDS];
    const inner = compileSelect({ q: 'corr:e-unknown' }, [], cols, true);
    const fallback = formattedRowsSql(inner, cols, ',', false);
    const line = w.db
      .prepare(fallback.sql)
      .pluck()
      .get(...fallback.params) as string;
    assert.match(line, /,pending,/);
    assert.match(line, /,"Greylisted, retry",/);
    assert.match(line, /,mars1$/);
    const joined = joinedRowsSql(inner, cols);
    const fast = w.db
      .prepare(joined.sql)
      .pluck()
      .get(...joined.params) as string;
    assert.equal(fast.split('\u001f')[at('status')], 'pending');
  } finally {
    w.cleanup();
  }
});

test('the dedupe key stays that of the original text: a forced re-import stores nothing twice', async () => {
  const w = workspace();
  try {
    const { file } = oddFile(w.dir);
    await importFiles(w.db, [file]);
    const again = (await importFiles(w.db, [file], { force: true })).files[0];
    assert.deepEqual([again.imported, again.duplicates], [0, 40]);
  } finally {
    w.cleanup();
  }
});

test('import reports the unknown values per column, in --json and in the human summary', async () => {
  const w = workspace();
  w.db.close();
  try {
    const { file } = oddFile(w.dir);
    const human = await runCli(['import', '--db', w.dbPath, file]);
    assert.equal(human.code, 0);
    assert.match(human.out, /Status: 1 row with undocumented values, kept: PENDING\n/);
    assert.match(human.out, /Processing Region: 1 row with undocumented values, kept: MARS1\n/);
    const json = await runCli(['import', '--db', w.dbPath, file, '--force', '--json']);
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.out) as { files: { unknownValues: Record<string, unknown> }[] };
    assert.deepEqual(parsed.files[0]?.unknownValues.status, { rows: 1, values: ['PENDING'] });
    const q = await runCli(['query', '--db', w.dbPath, '--q', 'status:pending', '--json']);
    assert.equal(q.code, 0, q.err);
    assert.match(q.out, /e-unknown/);
  } finally {
    w.cleanup();
  }
});
