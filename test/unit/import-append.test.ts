/**
 * Appending an export to an existing case: each index strategy (kept in place, dropped and rebuilt,
 * mixed) dedupes exactly against the whole case, leaves every index in place, and a cancel or a
 * SIGKILL at any phase leaves the case as it was.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { RECORD_INDEXES } from '../../main/engine/db/migrations';
import { openDatabase } from '../../main/engine/db/open';
import { planIndexes } from '../../main/engine/import/index-plan';
import { DEFERRED_INDEXES } from '../../main/engine/query/search-index';
import { boundTerm, deltaTerm, partialIndexUpto } from '../../main/engine/query/partial-index';
import { count, doneImports, importFiles, indexNames, killDuring, workspace } from './import-fixture';

const ALL_INDEXES = [...RECORD_INDEXES, ...DEFERRED_INDEXES].map((i) => i.name).concat('records_row_key');

function snapshot(db: Database): Record<string, unknown> {
  return {
    records: count(db, 'records'),
    // Finished imports: a cancelled or failed one is listed in the history with its reason, no rows.
    imports: doneImports(db),
    rejected: count(db, 'rejected_rows'),
    indexes: indexNames(db),
    keys: (db.prepare('SELECT count(DISTINCT row_key) AS n FROM records').get() as { n: number }).n,
    check: db.pragma('quick_check', { simple: true }),
  };
}

function writeRows(file: string, rows: number, seed: number, startMs?: number): void {
  writeFileSync(file, toCsv(generateRows({ rows, seed, ...(startMs !== undefined ? { startMs } : {}) })));
}

test('the plan keeps indexes in place for a small append and rebuilds random-key ones for a large one', () => {
  const w = workspace();
  try {
    const empty = planIndexes(w.db, 1000);
    assert.equal(empty.share, 1);
    assert.equal(empty.inPlace, false);
    assert.equal(empty.singleRow, false);
    assert.equal(empty.rowKey, true);
    assert.deepEqual(
      empty.rebuild.map((i) => i.name),
      RECORD_INDEXES.map((i) => i.name),
    );
    const small = planIndexes(w.db, 0, 0.01);
    assert.deepEqual(small.rebuild, []);
    assert.equal(small.rowKey, false);
    assert.equal(small.inPlace, true);
    // lower(message_to) and lower(message_to_domain) kept: multi-row statements would open a statement journal.
    assert.equal(small.singleRow, true);
    const mixed = planIndexes(w.db, 0, 0.25);
    assert.ok(mixed.rebuild.some((i) => i.name === 'records_to'));
    assert.ok(!mixed.rebuild.some((i) => i.name === 'records_time'), 'time-ordered keys stay in place');
    assert.equal(mixed.rowKey, false);
    assert.ok(mixed.deferred.some((i) => i.name === 'records_facets'));
    // Domain then time: new rows join the end of their domain's run, kept rather than rebuilt over the case.
    assert.ok(!mixed.deferred.some((i) => i.name === 'records_domain_time'), 'domain-time stays in place');
    assert.equal(mixed.inPlace, true);
    // No expression index kept: rows go 32 per statement, as into an empty case.
    assert.ok(mixed.rebuild.some((i) => i.name === 'records_to_domain'));
    assert.equal(mixed.singleRow, false);
  } finally {
    w.cleanup();
  }
});

test('appending dedupes exactly against the whole case under each index plan', async () => {
  // [case rows, new rows]: in place (share ~0.03), mixed (~0.25), rebuilt (~0.9).
  for (const [caseRows, newRows] of [
    [6000, 200],
    [6000, 2000],
    [300, 3000],
  ] as const) {
    const w = workspace();
    try {
      const first = path.join(w.dir, 'case.csv');
      const caseData = [...generateRows({ rows: caseRows, seed: 42 })];
      writeFileSync(first, toCsv(caseData));
      await importFiles(w.db, [first]);
      // The new file repeats 50 rows of the case and 20 of its own.
      const own = [...generateRows({ rows: newRows, seed: 9, startMs: Date.UTC(2026, 10, 5) })];
      const append = path.join(w.dir, 'append.csv');
      writeFileSync(append, toCsv([...caseData.slice(100, 150), ...own, ...own.slice(0, 20)]));
      const r = await importFiles(w.db, [append]);
      const f = r.files[0];
      assert.equal(f?.error, undefined);
      assert.equal(f?.imported, newRows, `${caseRows}+${newRows}: new rows`);
      assert.equal(f?.duplicates, 70, `${caseRows}+${newRows}: duplicates of the case and of the file`);
      const s = snapshot(w.db);
      assert.equal(s.records, caseRows + newRows);
      assert.equal(s.keys, caseRows + newRows);
      assert.equal(s.check, 'ok');
      for (const name of ALL_INDEXES) assert.ok(indexNames(w.db).includes(name), `${name} after the append`);
      // Rows of the file keep file order, the first occurrence of a repeated row kept (ids ascend with lines).
      const lineOrder = w.db
        .prepare('SELECT line FROM records WHERE import_id = ? ORDER BY id')
        .pluck()
        .all(f?.importId) as number[];
      assert.deepEqual(
        lineOrder,
        [...lineOrder].sort((a, b) => a - b),
      );
      assert.equal(lineOrder.length, newRows);
      assert.equal(new Set(lineOrder).size, newRows);
      // Queries through each index agree with a scan.
      for (const sql of [
        "SELECT count(*) FROM records INDEXED BY records_status_time WHERE status = 'ERROR'",
        "SELECT count(*) FROM records NOT INDEXED WHERE status = 'ERROR'",
      ])
        assert.ok((w.db.prepare(sql).pluck().get() as number) > 0);
      // records_to is partial up to its bound (grid-partial.ts): the rows above it by rowid.
      const upto = partialIndexUpto(w.db, 'records_to') ?? 0;
      const viaIndex = w.db
        .prepare(
          `SELECT (SELECT count(*) FROM records INDEXED BY records_to WHERE ${boundTerm(upto)} AND lower(message_to) >= 'm')
            + (SELECT count(*) FROM records NOT INDEXED WHERE ${deltaTerm(upto)} AND lower(message_to) >= 'm')`,
        )
        .pluck()
        .get();
      const viaScan = w.db
        .prepare("SELECT count(*) FROM records NOT INDEXED WHERE lower(message_to) >= 'm'")
        .pluck()
        .get();
      assert.equal(viaIndex, viaScan);
    } finally {
      w.cleanup();
    }
  }
});

test('an append killed (SIGKILL) in its rows or index phase leaves the case as before', async () => {
  // [case rows, new rows, phase]: an in-place append has no index phase; a large one rebuilds.
  for (const [caseRows, newRows, phase] of [
    [8000, 30_000, 'rows'],
    [8000, 30_000, 'indexes'],
    [20_000, 1000, 'rows'],
  ] as const) {
    const w = workspace();
    try {
      const first = path.join(w.dir, 'case.csv');
      writeRows(first, caseRows, 42);
      await importFiles(w.db, [first]);
      const big = path.join(w.dir, 'big.csv');
      writeRows(big, newRows, 5, Date.UTC(2026, 10, 5));
      const before = snapshot(w.db);
      w.db.close();
      const outcome = await killDuring(w.dbPath, big, phase, w.dir);
      assert.match(outcome, /^SIGKILL reached/, `killed during ${phase}: ${outcome}`);
      const db = openDatabase(w.dbPath);
      try {
        assert.deepEqual(snapshot(db), before, `${caseRows}+${newRows} killed during ${phase}`);
        // The case takes the same file afterwards, whole.
        const again = await importFiles(db, [big]);
        assert.equal(again.files[0]?.imported, newRows);
        assert.equal(count(db, 'records'), caseRows + newRows);
      } finally {
        db.close();
      }
    } finally {
      w.cleanup();
    }
  }
});

test('an append cancelled in its index phase leaves the case as before; reads see the old case meanwhile', async () => {
  const w = workspace();
  try {
    const first = path.join(w.dir, 'case.csv');
    writeRows(first, 5000, 42);
    await importFiles(w.db, [first]);
    const big = path.join(w.dir, 'big.csv');
    writeRows(big, 20_000, 5, Date.UTC(2026, 10, 5));
    const before = snapshot(w.db);
    const reader = openDatabase(w.dbPath, { readonly: true });
    const seen: number[] = [];
    try {
      const ac = new AbortController();
      const r = await importFiles(w.db, [big], {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase === 'rows' || p.phase === 'indexes') seen.push(count(reader, 'records'));
          if (p.phase === 'indexes') ac.abort();
        },
      });
      assert.equal(r.cancelled, true);
      assert.deepEqual(snapshot(w.db), before);
      assert.ok(seen.length > 0 && seen.every((n) => n === 5000), 'the reader saw the case as committed');
    } finally {
      reader.close();
    }
  } finally {
    w.cleanup();
  }
});
