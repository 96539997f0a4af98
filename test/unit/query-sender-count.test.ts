/**
 * sender-count.ts: a search of `from:` terms alone counted from the kept sender codes equals brute
 * force (NULL and empty senders, negated terms, several terms), also with records above the copy's
 * bound (an append without its memories phase); no answer (null: the usual paths) without a copy,
 * with another generation's, with one that does not fit, and for any other search.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { generateRows, toCsv } from '../../bench/generate';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { countWithoutIds } from '../../main/engine/query/count-paths';
import { MEMORY_CACHE_TABLE } from '../../main/engine/query/memory-cache';
import { countRows } from '../../main/engine/query/paging';
import { senderCount } from '../../main/engine/query/sender-count';
import { importFiles, workspace } from './import-fixture';
import { bruteCount } from './summary-brute';

const WORDS = ['news', 'billing', 'mail', 'example', 'zzz-none', 'n'];

test('from: searches count from the kept sender codes exactly, or not at all', async () => {
  const w = workspace();
  const files = [
    { rows: 2000, seed: 61, startMs: Date.UTC(2026, 9, 1) },
    { rows: 800, seed: 62, startMs: Date.UTC(2026, 9, 15) },
  ].map((opts, i) => {
    const file = path.join(w.dir, `${i}.csv`);
    writeFileSync(file, toCsv(generateRows(opts)));
    return file;
  });
  try {
    // Nothing kept yet: no answer. Then NULL and empty senders, and ids without a record (code 0).
    await importFiles(w.db, files.slice(0, 1), { keepMemories: false });
    assert.equal(senderCount(w.db, { q: 'from:news' }), null);
    w.db.exec(`UPDATE records SET message_from = NULL WHERE id % 13 = 0;
      UPDATE records SET message_from = '' WHERE id % 19 = 0;
      DELETE FROM records WHERE id % 31 = 0`);
    keepMemories(w.db);

    const check = (label: string): void =>
      fc.assert(
        fc.property(
          fc.subarray(WORDS, { minLength: 1, maxLength: 3 }),
          fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
          (picked, negate) => {
            const q = picked.map((t, i) => `${negate[i] === true ? '-' : ''}from:${t}`).join(' ');
            const db = openDatabase(w.dbPath, { readonly: true });
            try {
              assert.equal(senderCount(db, { q }), bruteCount(w.db, { q }), `${label} ${q}`);
              assert.equal(countWithoutIds(db, { q }), bruteCount(w.db, { q }), `${label} ${q}`);
            } finally {
              db.close();
            }
          },
        ),
        { numRuns: 40 },
      );
    check('kept');
    // Anything but from: terms is left to the other paths.
    for (const q of ['from:news status:ok', 'news', 'from:news size>100', 'to:news', ''])
      assert.equal(senderCount(w.db, { q }), null, q);
    assert.equal(senderCount(w.db, { q: 'from:news', timeFrom: Date.UTC(2026, 9, 2) }), null);

    // An append the copy does not hold: those records counted by SQL.
    await importFiles(w.db, files.slice(1), { keepMemories: false });
    assert.ok(
      (w.db.prepare('SELECT max(id) FROM records').pluck().get() as number) >
        (w.db
          .prepare(`SELECT upto FROM ${MEMORY_CACHE_TABLE} WHERE name = 'values.sender'`)
          .pluck()
          .get() as number),
    );
    check('after an append');

    // A copy that does not fit its bound: no answer.
    const kept = w.db
      .prepare(`SELECT data FROM ${MEMORY_CACHE_TABLE} WHERE name = 'values.sender'`)
      .pluck()
      .get() as Buffer;
    w.db
      .prepare(`UPDATE ${MEMORY_CACHE_TABLE} SET data = ? WHERE name = 'values.sender'`)
      .run(kept.subarray(0, kept.length - 2));
    assert.equal(senderCount(w.db, { q: 'from:news' }), null);
    w.db.prepare(`UPDATE ${MEMORY_CACHE_TABLE} SET data = ? WHERE name = 'values.sender'`).run(kept);
    assert.equal(senderCount(w.db, { q: 'from:news' }), bruteCount(w.db, { q: 'from:news' }));

    // A damaged dictionary (not JSON, or not a list of senders): no answer, never a throw, and the
    // count stays exact by the other paths.
    const names = w.db
      .prepare(`SELECT data FROM ${MEMORY_CACHE_TABLE} WHERE name = 'values.senders'`)
      .pluck()
      .get() as Buffer;
    for (const bad of ['[null, null, "a', '{"a": 1}', '[1, 2, 3]']) {
      w.db
        .prepare(`UPDATE ${MEMORY_CACHE_TABLE} SET data = ? WHERE name = 'values.senders'`)
        .run(Buffer.from(bad));
      assert.equal(senderCount(w.db, { q: 'from:news' }), null, bad);
      assert.equal(countRows(w.db, { q: 'from:news' }), bruteCount(w.db, { q: 'from:news' }), bad);
    }
    w.db.prepare(`UPDATE ${MEMORY_CACHE_TABLE} SET data = ? WHERE name = 'values.senders'`).run(names);
    assert.equal(senderCount(w.db, { q: 'from:news' }), bruteCount(w.db, { q: 'from:news' }));

    // A removed import: another generation, no answer; the count stays exact by the other paths.
    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    assert.equal(senderCount(w.db, { q: 'from:news' }), null);
    for (const q of ['from:news', '-from:news'])
      assert.equal(countRows(w.db, { q }), bruteCount(w.db, { q }), `after a removal ${q}`);
  } finally {
    w.cleanup();
  }
});
