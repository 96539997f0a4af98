/**
 * Removing an import and re-reading a file in another zone: the import's records go (and only
 * those), search and counts stay exact (vocabulary and hourly summary rebuilt), the history keeps
 * the entry as removed with why, and a replacement is atomic: cancelled, the old records stay.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { listImports } from '../../main/engine/import/history';
import { runImport } from '../../main/engine/import/importer';
import { countRows } from '../../main/engine/query/paging';
import { searchIndexCoverage } from '../../main/engine/query/search-index';
import { summaryCoverage } from '../../main/engine/query/summary';
import { workspace } from './import-fixture';
import { runCli } from './cli-fixture';

const one = (db: Database, sql: string, ...params: (string | number)[]): number =>
  db
    .prepare(sql)
    .pluck()
    .get(...params) as number;

/** A recipient address only in import `id` (so a search for it must find nothing once it is gone). */
function onlyIn(db: Database, id: number): string {
  return db
    .prepare(
      `SELECT message_to FROM records r WHERE import_id = ? AND message_to IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM records o WHERE o.import_id <> ? AND lower(o.message_to) = lower(r.message_to)) LIMIT 1`,
    )
    .pluck()
    .get(id, id) as string;
}

test("remove-import deletes one import's records; search, counts and the history stay exact", async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    const b = path.join(w.dir, 'b.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 1500, seed: 11 })));
    writeFileSync(b, toCsv(generateRows({ rows: 1000, seed: 12, startMs: Date.UTC(2026, 9, 20) })));
    assert.equal((await runCli(['import', '--db', w.dbPath, a, b, '--json'])).code, 0);
    const [idB, idA] = listImports(w.db).map((h) => h.id);
    assert.ok(idA !== undefined && idB !== undefined);
    const fromB = one(w.db, 'SELECT count(*) FROM records WHERE import_id = ?', idB);
    const address = onlyIn(w.db, idA);
    assert.equal(countRows(w.db, { q: address }) > 0, true);

    const r = await runCli(['remove-import', '--db', w.dbPath, String(idA), '--json']);
    assert.equal(r.code, 0, r.err);
    const removed = JSON.parse(r.out) as { importId: number; records: number };
    assert.equal(removed.importId, idA);
    assert.ok(removed.records > 1000);
    assert.equal(one(w.db, 'SELECT count(*) FROM records'), fromB, 'only import A went');
    assert.equal(one(w.db, 'SELECT count(*) FROM records WHERE import_id = ?', idA), 0);
    // The vocabulary and the summary were rebuilt over what is left, and are used.
    assert.ok(searchIndexCoverage(w.db) > 0 && summaryCoverage(w.db) > 0);
    assert.equal(countRows(w.db, { q: address }), 0, 'a value of the removed import is not found');
    assert.equal(
      one(w.db, 'SELECT count(*) FROM search_vocab WHERE value = lower(?)', address),
      0,
      'nor kept in the vocabulary (typo hints read it)',
    );
    for (const q of ['status:error', 'substatus:bounced', 'after:2026-10-22'])
      assert.equal(
        countRows(w.db, { q }),
        one(
          w.db,
          `SELECT count(*) FROM records NOT INDEXED WHERE ${q === 'status:error' ? "status = 'ERROR'" : q === 'substatus:bounced' ? "substatus = 'BOUNCED'" : 'creation_time_ms >= ?'}`,
          ...(q.startsWith('after') ? [Date.UTC(2026, 9, 22)] : []),
        ),
        q,
      );
    const history = listImports(w.db);
    const entryA = history.find((h) => h.id === idA);
    assert.equal(entryA?.status, 'removed');
    assert.match(entryA?.error ?? '', /^1,500 records deleted on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const list = await runCli(['imports', '--db', w.dbPath]);
    assert.match(list.out, new RegExp(`#${idA}  a\\.csv  .* removed .*records deleted`));

    // Removing it again, or an import that does not exist, is a clear error (exit 1), nothing changes.
    const again = await runCli(['remove-import', '--db', w.dbPath, String(idA)]);
    assert.equal(again.code, 1);
    assert.match(again.err, new RegExp(`Import #${idA} was removed already`));
    const missing = await runCli(['remove-import', '--db', w.dbPath, '999']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /There is no import #999 in this workspace/);
    assert.equal((await runCli(['remove-import', '--db', w.dbPath, 'abc'])).code, 2);
    assert.equal(one(w.db, 'SELECT count(*) FROM records'), fromB);

    // The same file is no longer "already imported": it is read again.
    const back = await runImport(w.db, { jobId: 'again', paths: [a] }, quiet());
    assert.equal(back.files[0]?.alreadyImported, undefined);
    assert.equal(back.files[0]?.imported, 1500);
    assert.equal(countRows(w.db, { q: address }) > 0, true);
  } finally {
    w.cleanup();
  }
});

function quiet(signal = new AbortController().signal): Parameters<typeof runImport>[2] {
  return { signal, onProgress: () => undefined };
}

test('a file re-read in another zone replaces its import atomically', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 3000, seed: 21 })));
    const first = await runImport(w.db, { jobId: 'a', paths: [a] }, quiet());
    const idA = first.files[0]?.importId ?? 0;
    const times = (): number[] =>
      w.db.prepare('SELECT creation_time_ms FROM records ORDER BY line').pluck().all() as number[];
    const utc = times();
    assert.equal(utc.length, 3000);

    // Cancelled half-way: the earlier import and its records are untouched.
    const ac = new AbortController();
    const cancelled = await runImport(
      w.db,
      { jobId: 'b', paths: [a], timeZone: 'Europe/Berlin', replaces: idA },
      {
        signal: ac.signal,
        chunkBytes: 16 * 1024,
        onProgress: (p) => {
          if (p.phase === 'rows' && p.rows > 0) ac.abort();
        },
      },
    );
    assert.equal(cancelled.cancelled, true);
    assert.deepEqual(times(), utc);
    assert.equal(listImports(w.db).find((h) => h.id === idA)?.status, 'done');

    // Replaced: the same rows, each time read as Berlin wall clock (1 or 2 hours earlier in UTC).
    const r = await runImport(
      w.db,
      { jobId: 'c', paths: [a], timeZone: 'Europe/Berlin', replaces: idA },
      quiet(),
    );
    const file = r.files[0];
    assert.equal(file?.error, undefined);
    assert.equal(file?.imported, 3000, 'no row is a "duplicate" of the rows it replaces');
    assert.equal(file?.timezoneAssumed, 'Europe/Berlin');
    const berlin = times();
    assert.equal(berlin.length, 3000);
    berlin.forEach((t, i) => {
      const shift = (utc[i] ?? 0) - t;
      assert.ok(shift === 3_600_000 || shift === 7_200_000, `row ${i} moved by ${shift} ms`);
    });
    const history = listImports(w.db);
    assert.equal(history.find((h) => h.id === idA)?.status, 'removed');
    assert.match(
      history.find((h) => h.id === idA)?.error ?? '',
      new RegExp(
        `^replaced by import #${file?.importId}, which read the file again with times in Europe/Berlin \\(3,000 records\\)$`,
      ),
    );
    assert.equal(one(w.db, "SELECT count(*) FROM imports WHERE status = 'done'"), 1);

    // Replacing a removed import fails cleanly; the current one stays.
    const stale = await runImport(w.db, { jobId: 'd', paths: [a], replaces: idA }, quiet());
    assert.match(stale.files[0]?.error ?? '', new RegExp(`Import #${idA} was removed already`));
    assert.equal(times().length, 3000);
  } finally {
    w.cleanup();
  }
});
