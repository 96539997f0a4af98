/**
 * Unfiltered pages by Message To read as one range of its (partial) index
 * (unique-range.ts) hold the rows a brute-force ORDER BY gives: both directions, pages at the start,
 * boundaries, middle and end, ties of lower() and NULL/'' among them, records appended above the
 * index's bound (the delta read by rowid), with every value a splitter and with buckets of hundreds,
 * and after an import was removed and the codes built again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { removeImport } from '../../main/engine/import/remove';
import { partialIndexUpto, WHOLE } from '../../main/engine/query/partial-index';
import { enableUniqueCodes, stepUniqueCodes, uniqueCodes } from '../../main/engine/query/unique-codes';
import { pick } from '../../main/engine/query/unique-page';
import { rangeOrdered } from '../../main/engine/query/unique-range';
import { importFiles, workspace } from './import-fixture';
import { bruteOrder, insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

const EXPRS = [['lower(message_to)', 'records_to']] as const;

/** Every page position x dir x column; returns how many pages the range answered. */
function checkRanges(db: Database, label: string): number {
  let answered = 0;
  for (const [expr] of EXPRS) {
    for (const asc of [true, false]) {
      const all = bruteOrder(db, expr, asc);
      const n = all.length;
      for (const start of [0, 37, Math.floor(n / 3) - 50, Math.floor(n / 2), n - 160, n - 60]) {
        const end = start + 100;
        const page = db.transaction(() => {
          const col = uniqueCodes(db, expr);
          assert.ok(col !== null, `${label}: ${expr} coded`);
          const picked = pick(col.counts, asc, start, end);
          const total = picked.codes.reduce((t, c) => t + col.counts[c], 0);
          const ids = rangeOrdered(db, col, expr, asc, asc, picked.codes, total);
          return ids?.slice(start - picked.before, end - picked.before) ?? null;
        })();
        if (page === null) continue;
        answered++;
        assert.deepEqual(
          page,
          all.slice(start, end),
          `${label}: ${expr} ${asc ? 'asc' : 'desc'} at ${start}`,
        );
      }
    }
  }
  return answered;
}

/** Ties of lower(), NULL, '' and text above U+FFFF, appended above the indexes' bounds. */
function addOddRows(db: Database): void {
  const text = [null, '', 'Jane.Odd@X.example', 'JANE.odd@x.EXAMPLE', 'jane.odd@x.example', '\u{1F600}@x'];
  for (let i = 0; i < 60; i++) {
    const id = insertRecord(db, { status: 'OK', message_to: 'x@y.example' });
    db.prepare('UPDATE records SET message_to = ?, correlation_id = ? WHERE id = ?').run(
      text[i % text.length],
      text[(i + 1) % text.length],
      id,
    );
  }
}

function load(db: Database, tuning: { sampleSize?: number; maxSplitters?: number }): void {
  while (stepUniqueCodes(db, { chunk: 2000, ...tuning }));
}

for (const [name, tuning] of [
  ['every value a splitter', {}],
  ['buckets of hundreds', { sampleSize: 40, maxSplitters: 12 }],
] as const) {
  test(`unfiltered unique-column pages from an index range equal brute force (${name})`, async () => {
    const w = workspace();
    try {
      const [a, b] = writeCaseExports(w.dir, 5);
      await importFiles(w.db, [a]);
      await importFiles(w.db, [b]);
      enableUniqueCodes(w.db);
      load(w.db, tuning);
      const whole = checkRanges(w.db, 'imported');
      assert.ok(whole >= 4, `imported: ${whole} pages from the ranges`);

      // Records above the partial indexes' bounds: the delta half of the range's union.
      addOddRows(w.db);
      const top = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
      for (const [, index] of EXPRS) {
        const upto = partialIndexUpto(w.db, index);
        assert.ok(upto !== null && upto !== WHOLE && upto < top, `${index} is partial, with a delta`);
      }
      const delta = checkRanges(w.db, 'appended');
      assert.ok(delta >= 4, `appended: ${delta} pages from the ranges`);

      await removeImport(w.db, 1, new AbortController().signal);
      load(w.db, tuning);
      const removed = checkRanges(w.db, 'removed');
      assert.ok(removed >= 4, `removed: ${removed} pages from the ranges`);
    } finally {
      w.cleanup();
    }
  });
}
