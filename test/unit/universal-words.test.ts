/**
 * A free word every record matches (`example`: every sender of the bench's generator is at
 * *.example.com) is dropped before a search is answered, so the summaries answer it; the answer is
 * the one the filter with the word gives. It is kept whenever the vocabulary cannot prove that: a
 * record without a sender, records the vocabulary does not cover yet, a negated word, a workspace
 * whose vocabulary predates the empty-value rows.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, headerLine, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { parseSearch } from '../../common/search-syntax';
import { countRows, getFacets, getHistogram, queryPage } from '../../main/engine/query';
import { getFacets as facetsOf } from '../../main/engine/query/facets';
import { compileWhere } from '../../main/engine/query/filter';
import { getHistogram as histogramOf } from '../../main/engine/query/histogram';
import { countRows as countOf, queryPage as pageOf } from '../../main/engine/query/paging';
import { updateSearchIndex, VOCAB_EMPTIES_KEY } from '../../main/engine/query/search-index';
import { dropUniversalWords } from '../../main/engine/query/universal-words';
import { importFiles, workspace } from './import-fixture';

const NEWEST = [{ column: 'creation_time', dir: 'desc' }] as const;

/** The count by a plain LIKE over the records (no vocabulary, no summary). */
function bruteCount(db: Database, filter: FilterModel): number {
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT count(*) FROM records WHERE ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}

/** Every answer of the search equals that of the filter as typed, answered without the rewrite. */
function assertSameAnswers(db: Database, filter: FilterModel): void {
  const label = JSON.stringify(filter);
  assert.equal(countRows(db, filter), bruteCount(db, filter), `count ${label}`);
  assert.equal(countRows(db, filter), countOf(db, filter), `count ${label}`);
  assert.deepEqual(getFacets(db, filter, 10), facetsOf(db, filter, 10), `facets ${label}`);
  assert.deepEqual(getHistogram(db, filter, 40), histogramOf(db, filter, 40), `histogram ${label}`);
  const req = { filter, sort: [...NEWEST], startRow: 0, endRow: 50 };
  assert.deepEqual(
    queryPage(db, req).rows.map((r) => r.id),
    pageOf(db, req).rows.map((r) => r.id),
    `page ${label}`,
  );
}

const termsOf = (q: string): string[] => parseSearch(q).map((t) => q.slice(t.start, t.end));

test('a free word in every sender is dropped, and the answers stay those of the typed filter', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'a.csv');
    writeFileSync(file, toCsv(generateRows({ rows: 3000, seed: 11 })));
    await importFiles(w.db, [file]);

    const dropped = dropUniversalWords(w.db, { q: 'EXAMPLE status:error "xample.co" -com' });
    assert.deepEqual(termsOf(dropped.q ?? ''), ['status:error', '-com'], 'both words every sender holds');
    for (const q of ['example', 'example status:error', 'com region:DE1', '"xample.co" details:soft_bounce'])
      assertSameAnswers(w.db, { q });
    assert.ok(bruteCount(w.db, { q: 'example' }) === 3000);

    // Kept: negated (no record matches), too short for the vocabulary, in only some records.
    for (const q of ['-example', 'ex', 'gmail', 'news@mail'])
      assert.equal(dropUniversalWords(w.db, { q }).q, q, q);
    assertSameAnswers(w.db, { q: '-example' });
    assertSameAnswers(w.db, { q: 'news@mail' });

    // A vocabulary from before the empty-value rows proves nothing.
    w.db.prepare('DELETE FROM meta WHERE key = ?').run(VOCAB_EMPTIES_KEY);
    assert.equal(dropUniversalWords(w.db, { q: 'example' }).q, 'example');
  } finally {
    w.cleanup();
  }
});

test('a record without that word, or not yet in the vocabulary, keeps the word in the filter', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 2000, seed: 12 })));
    await importFiles(w.db, [a]);
    assert.equal(dropUniversalWords(w.db, { q: 'example' }).q?.trim(), '');

    // One record with no sender at all: "example" no longer matches every record.
    const row = [...generateRows({ rows: 1, seed: 99, startMs: Date.UTC(2026, 11, 1) })][0];
    const header = headerLine().split(',');
    const noSender = row.map((v, i) => (/^Message From/.test(header[i]) ? '' : v));
    const b = path.join(w.dir, 'b.csv');
    writeFileSync(b, toCsv([noSender]));
    await importFiles(w.db, [b]);
    assert.equal(dropUniversalWords(w.db, { q: 'example' }).q, 'example');
    assertSameAnswers(w.db, { q: 'example' });
    assertSameAnswers(w.db, { q: 'com status:ok' });
  } finally {
    w.cleanup();
  }

  const v = workspace();
  try {
    const a = path.join(v.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 2000, seed: 13 })));
    await importFiles(v.db, [a]);
    // Records above the vocabulary's coverage (an import whose search-index phase has not run yet).
    const row = [...generateRows({ rows: 1, seed: 98, startMs: Date.UTC(2026, 11, 2) })][0];
    const header = headerLine().split(',');
    const other = row.map((val, i) =>
      header[i] === 'Message From'
        ? 'ops@other.com'
        : header[i] === 'Message From Domain'
          ? 'other.com'
          : val,
    );
    const b = path.join(v.dir, 'b.csv');
    writeFileSync(b, toCsv([other]));
    await importFiles(v.db, [b]);
    assert.equal(dropUniversalWords(v.db, { q: 'example' }).q, 'example', 'other.com holds no example');
    assertSameAnswers(v.db, { q: 'example' });
    assert.equal(dropUniversalWords(v.db, { q: '.com' }).q?.trim(), '', 'every sender ends in .com');
    assertSameAnswers(v.db, { q: '.com' });
    // Not while the last record is above the vocabulary's coverage.
    const max = v.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    v.db.prepare("UPDATE meta SET value = ? WHERE key = 'search_index_upto'").run(String(max - 1));
    assert.equal(dropUniversalWords(v.db, { q: '.com' }).q, '.com');
    updateSearchIndex(v.db);
    assert.equal(dropUniversalWords(v.db, { q: '.com' }).q?.trim(), '');
  } finally {
    v.cleanup();
  }
});
