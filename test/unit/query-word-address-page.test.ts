/**
 * First pages by Message To under a free word from the word's addresses (word-address-page.ts): they
 * equal a brute-force ORDER BY lower(message_to), id (without an index, the word as plain LIKE over
 * every searched column) for words matching addresses, reply texts, domains, a LIKE wildcard, upper
 * case, NULL and '' addresses, in both directions, ties by id either way, page positions drawn by
 * fast-check, with and without the bucket codes; after an append above the vocabulary's coverage
 * and the partial index's bound, and after an import's removal. Through the page reader's path
 * (sort-codes.ts codesPage) the word's set is not found for such a page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { compileWhere } from '../../main/engine/query/filter';
import { isKept } from '../../main/engine/query/kept-sets';
import { clearQueryCache, filterState } from '../../main/engine/query/paging';
import { codesPage } from '../../main/engine/query/sort-codes';
import { resolveSort } from '../../main/engine/query/sql';
import { enableUniqueCodes, stepUniqueCodes, uniqueCodes } from '../../main/engine/query/unique-codes';
import { wordAddressPage } from '../../main/engine/query/word-address-page';
import { probeAcrossChanges } from './probe-cases';
import { insertRecord } from './query-fixture';

/** Words and whether the path must answer them (a short word is the trigram-less SQL's). */
const WORDS: { q: string; answers: boolean }[] = [
  { q: 'jane', answers: true },
  { q: 'odd.de', answers: true },
  { q: '100%', answers: true },
  { q: 'UPPER', answers: true },
  { q: 'zzmatch', answers: true },
  { q: 'nosuchword', answers: true },
  { q: '.de', answers: true },
  { q: 'ja', answers: false },
];

function brute(db: Database, filter: FilterModel, asc: boolean, idAsc: boolean): number[] {
  const where = compileWhere(filter);
  return db
    .prepare(
      `SELECT id FROM records NOT INDEXED WHERE ${where.sql}
       ORDER BY lower(message_to) ${asc ? 'ASC' : 'DESC'}, id ${idAsc ? 'ASC' : 'DESC'}`,
    )
    .pluck()
    .all(...where.params) as number[];
}

/** Records the word matches by a reply text or a domain only, with NULL and '' addresses among them. */
function addOddRows(db: Database): void {
  insertRecord(db, { message_to: null, smtp_status_code: '550 jane gone', status: 'ERROR' });
  insertRecord(db, { message_to: '', smtp_status_code: '550 zzmatch', status: 'ERROR' });
  insertRecord(db, { message_to: 'AAA@first.de', message_to_domain: 'zzmatch.de', status: 'OK' });
  insertRecord(db, { message_to: 'Jane.Upper@Odd.de', message_to_domain: 'odd.de', status: 'OK' });
  insertRecord(db, { message_to: 'zzz@last.de', smtp_status_code: '250 jane ok', status: 'OK' });
  insertRecord(db, { message_to: 'tie@odd.de', message_to_domain: 'odd.de', status: 'OK' });
  insertRecord(db, { message_to: 'TIE@odd.de', message_to_domain: 'odd.de', status: 'OK' });
  insertRecord(db, { message_to: 'percent100%@odd.de', message_to_domain: 'odd.de', status: 'OK' });
  // Matching `.de` by the domain only, each sorting next to an imported address matching it by the
  // address (so in the same bucket): the page's last address does not bound them by their codes.
  const near = db
    .prepare(
      `SELECT message_to FROM (SELECT message_to FROM records WHERE message_to LIKE '%.de' ORDER BY lower(message_to) LIMIT 60)
       UNION SELECT message_to FROM (SELECT message_to FROM records WHERE message_to LIKE '%.de' ORDER BY lower(message_to) DESC LIMIT 60)`,
    )
    .pluck()
    .all() as string[];
  for (const to of near)
    insertRecord(db, { message_to: `${to.slice(0, -3)}.dd`, message_to_domain: 'near.de', status: 'OK' });
}

function check(db: Database, label: string): number {
  enableUniqueCodes(db);
  while (stepUniqueCodes(db));
  const codes = db.transaction(() => uniqueCodes(db, 'lower(message_to)'))()?.codes;
  let answered = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...WORDS),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: 0, max: 150 }),
      fc.integer({ min: 1, max: 100 }),
      ({ q, answers }, asc, idAsc, withCodes, start, size) => {
        const filter = { q };
        const got = db.transaction(() =>
          wordAddressPage(db, filter, asc, idAsc, start, start + size, withCodes ? codes : undefined),
        )();
        const where = `${label}: ${q} ${asc ? 'asc' : 'desc'} id ${idAsc ? 'asc' : 'desc'} [${start}, ${start + size})${withCodes ? ' codes' : ''}`;
        if (!answers) {
          assert.equal(got, null, where);
          return;
        }
        assert.ok(got !== null, `${where}: answered`);
        assert.deepEqual(got, brute(db, filter, asc, idAsc).slice(start, start + size), where);
        answered++;
      },
    ),
    { numRuns: 150 },
  );
  // Through the page reader's path: the page without the word's set.
  for (const dir of ['asc', 'desc'] as const) {
    clearQueryCache(db);
    const filter = { q: 'jane' };
    const state = filterState(db, filter, undefined);
    const keys = resolveSort([{ column: 'message_to', dir }]);
    const rows = codesPage(db, filter, keys, 0, 50, state);
    assert.ok(rows !== null, `${label}: codesPage ${dir}`);
    assert.deepEqual(
      rows.map((r) => r.id),
      brute(db, filter, dir === 'asc', dir === 'asc').slice(0, 50),
      `${label}: codesPage ${dir}`,
    );
    assert.equal(isKept(db, state), false, `${label}: ${dir} no set found`);
  }
  return answered;
}

test('Message To first pages under a free word from its addresses equal brute force', async () => {
  await probeAcrossChanges(check, addOddRows);
});
