/**
 * Free words with many trigram candidates on a page's resolver (candidate-counts.ts): one with more
 * candidates than the page's bound is settled from FTS5's rowids, without looking up a candidate's
 * column; one under the bound has its columns counted. Either way the first pages, newest first,
 * equal a brute-force substring test of every record: NULL and '' values, NULL times, records above
 * the vocabulary's coverage, after an append and after an import is removed; random words
 * (fast-check).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import type { FilterModel, SortKey } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { createResolver, MAX_RESOLVED_VALUES } from '../../main/engine/query/resolver';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { insertRecord, quick, tempWorkspace, type Row } from './query-fixture';
import { ranStatement } from './statement-spy';

const NEWEST: SortKey[] = [{ column: 'creation_time', dir: 'desc' }];
/** More distinct addresses than a page's resolver counts candidates (5 x MAX_RESOLVED_VALUES). */
const COMMON = 5 * MAX_RESOLVED_VALUES + 300;
/** More than the first read, fewer than the bound. */
const MIDDLE = 3000;
const WORDS = ['gmx', 'GMX.DE', 'web', 'web.de', 'u12', 'x@gmx', '@web.de', 'ok', 'zzz'];

function newImport(db: Database): number {
  return Number(
    db
      .prepare(
        `INSERT INTO imports (file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
          timezone_assumed, started_at, status) VALUES ('hand.csv', '/hand.csv', 0, ?, 'utf-8', ',', '[]', 'UTC', 0, 'done')`,
      )
      .run(`h${Math.random()}`).lastInsertRowid,
  );
}

function addRecords(db: Database, from: number, n: number, domain: string): void {
  db.transaction(() => {
    for (let i = from; i < from + n; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      insertRecord(db, {
        message_to: i % 17 === 0 ? `U${i}@${domain.toUpperCase()}` : `u${i}@${domain}`,
        message_to_domain: domain,
        message_from: i % 5 === 0 ? '' : 'news@shop.example.com',
        status: i % 3 === 0 ? 'ERROR' : 'OK',
        smtp_status_code: i % 9 === 0 ? null : '250 2.0.0 ok',
        creation_time: i % 13 === 0 ? null : `2026-10-${day} ${String(i % 24).padStart(2, '0')}:00:00.000`,
      });
    }
    insertRecord(db, { message_to: null, message_to_domain: null, status: 'OK' });
    insertRecord(db, { message_to: '', message_to_domain: '', creation_time: '2026-10-31 23:59:00.000' });
  })();
}

function pagedIds(db: Database, filter: FilterModel, pages: number): number[] {
  clearQueryCache(db);
  const ids: number[] = [];
  for (let p = 0; p < pages; p++) {
    const { rows } = queryPage(db, { filter, sort: NEWEST, startRow: p * 100, endRow: p * 100 + 100 });
    ids.push(...rows.map((r) => r.id));
    if (rows.length < 100) break;
  }
  return ids;
}

/** Brute force: every record tested in JavaScript, newest first (NULL times last), ties by id. */
function bruteIds(db: Database, word: string, pages: number): number[] {
  const rows = db.prepare('SELECT * FROM records').all() as Row[];
  return rows
    .filter((r) => quick(r, word))
    .sort((a, b) => {
      const ta = a.creation_time_ms as number | null;
      const tb = b.creation_time_ms as number | null;
      if (ta !== tb) return ta === null ? 1 : tb === null ? -1 : tb - ta;
      return (b.id as number) - (a.id as number);
    })
    .slice(0, pages * 100)
    .map((r) => r.id as number);
}

function checkPages(db: Database, label: string): void {
  for (const word of WORDS)
    assert.deepEqual(pagedIds(db, { q: word }, 2), bruteIds(db, word, 2), `${label}: ${word}`);
}

function filled(): ReturnType<typeof tempWorkspace> {
  const ws = tempWorkspace();
  newImport(ws.db);
  addRecords(ws.db, 0, COMMON, 'gmx.de');
  addRecords(ws.db, COMMON, MIDDLE, 'web.de');
  updateSearchIndex(ws.db);
  return ws;
}

/** The candidates' columns joined as FTS5 reads them (the count before candidate-counts.ts). */
const JOINED = 'SELECT v.col AS col FROM search_vocab_fts';

test("a word with more candidates than a page's bound: no candidate's column looked up", () => {
  const ws = filled();
  try {
    const resolve = (word: string) => (): void => void createResolver(ws.db).resolve('message_to', word);
    assert.equal(ranStatement(ws.db, JOINED, resolve('gmx')), false);
    assert.equal(ranStatement(ws.db, 'FROM search_vocab WHERE id IN', resolve('gmx')), false);
    assert.equal(createResolver(ws.db).resolve('message_to', 'gmx'), null);
    // Under the bound: the columns are counted, the addresses over the values' cap scanned.
    assert.equal(ranStatement(ws.db, 'FROM search_vocab WHERE id IN', resolve('web')), true);
    assert.equal(createResolver(ws.db).resolve('message_to', 'web'), null);
    assert.deepEqual(createResolver(ws.db).resolve('message_to_domain', 'web'), ['web.de']);
  } finally {
    ws.close();
  }
});

test('pages of common words equal brute force after an append, above coverage and after a removal', async () => {
  const ws = filled();
  try {
    const first = Number(ws.db.prepare('SELECT min(id) FROM imports').pluck().get());
    checkPages(ws.db, 'one import');
    newImport(ws.db);
    addRecords(ws.db, 20_000, 300, 'gmx.de');
    addRecords(ws.db, 21_000, 200, 'web.de');
    checkPages(ws.db, 'appended, above the coverage');
    updateSearchIndex(ws.db);
    checkPages(ws.db, 'appended, covered');
    await removeImport(ws.db, first, new AbortController().signal);
    checkPages(ws.db, 'first import removed');
  } finally {
    ws.close();
  }
});

test('random words page as brute force (fast-check)', () => {
  const ws = filled();
  try {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('g', 'm', 'x', 'G', '.', 'd', 'e', 'w', 'b', '@', 'u', '1', '2'), {
          minLength: 3,
          maxLength: 6,
        }),
        (chars) => {
          const word = chars.join('');
          assert.deepEqual(pagedIds(ws.db, { q: word }, 2), bruteIds(ws.db, word, 2), word);
        },
      ),
      { numRuns: 15 },
    );
  } finally {
    ws.close();
  }
});
