/**
 * A phrase common in one column (phrase-lookup.ts): the page's resolver settles it from its first
 * read of values, without counting trigram candidates, and the pages stay those of a brute-force
 * substring test of every record (phrases in any case, NULL and '' values, records above the
 * vocabulary's coverage, after an append and after an import is removed; random phrases with
 * fast-check).
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
import { oneColumnOver } from '../../main/engine/query/phrase-lookup';
import { insertRecord, quick, tempWorkspace, type Row } from './query-fixture';
import { ranStatement } from './statement-spy';

const PHRASE = 'recipient address rejected';
const NEWEST: SortKey[] = [{ column: 'creation_time', dir: 'desc' }];
const WORDS = ['Recipient', 'address', 'REJECTED', 'user', 'unknown', 'mailbox', 'full', '550'];

/** Distinct reply texts holding the phrase, more than a page's resolver looks up, in mixed case. */
function addReplies(db: Database, from: number, n: number): void {
  db.transaction(() => {
    for (let i = from; i < from + n; i++) {
      const text = i % 3 === 0 ? 'RECIPIENT ADDRESS REJECTED' : 'Recipient address rejected';
      insertRecord(db, {
        message_to: `user${i}@example${i % 7}.de`,
        message_to_domain: `example${i % 7}.de`,
        status: i % 4 === 0 ? 'OK' : 'ERROR',
        smtp_status_code:
          i % 11 === 0 ? '250 2.0.0 ok' : `550 5.1.1 <user${i}@x.de>: ${text}: user ${i % 97}`,
        creation_time: i % 13 === 0 ? null : `2026-10-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00.000`,
      });
    }
  })();
}

/** Odd rows: NULL and '' values, the phrase in an address, a near miss, the phrase in the sender. */
function addOddRows(db: Database): void {
  for (const rec of [
    { message_to: null, smtp_status_code: null, status: 'ERROR' },
    { message_to: '', smtp_status_code: '', status: 'ERROR', creation_time: '2026-10-05 00:00:00.000' },
    {
      message_to: 'recipient address rejected@odd.de',
      status: 'ERROR',
      creation_time: '2026-10-31 23:00:00.000',
    },
    {
      smtp_status_code: '550 recipient  address rejected',
      status: 'ERROR',
      creation_time: '2026-10-31 22:00:00.000',
    },
    {
      message_from: 'Recipient Address Rejected <a@b.de>',
      status: 'ERROR',
      creation_time: '2026-10-31 21:00:00.000',
    },
  ])
    insertRecord(db, rec);
}

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

/** The ids of `filter`'s first pages (startRow 0, 100, ...) as the engine serves them, cold. */
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
function bruteIds(db: Database, phrase: string, status: string | null, pages: number): number[] {
  const rows = db.prepare('SELECT * FROM records').all() as Row[];
  return rows
    .filter((r) => quick(r, phrase) && (status === null || r.status === status))
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
  for (const [q, phrase, status] of [
    [`"${PHRASE}" status:error`, PHRASE, 'ERROR'],
    ['"Recipient Address Rejected"', PHRASE, null],
    ['"address rejected: user 4"', 'address rejected: user 4', null],
    ['"ADDRESS REJECTED" status:ok', 'address rejected', 'OK'],
  ] as const)
    assert.deepEqual(pagedIds(db, { q }, 3), bruteIds(db, phrase, status, 3), `${label}: ${q}`);
}

test('a phrase common in the replies is settled without counting trigram candidates', () => {
  const ws = tempWorkspace();
  try {
    newImport(ws.db);
    addReplies(ws.db, 0, MAX_RESOLVED_VALUES + 600);
    updateSearchIndex(ws.db);
    const resolver = (): void => void createResolver(ws.db).resolve('smtp_status_code', PHRASE);
    assert.equal(ranStatement(ws.db, 'GROUP BY col', resolver), false);
    // A single word goes on as before (free words are not this path's).
    const word = (): void => void createResolver(ws.db).resolve('smtp_status_code', 'recipient');
    assert.equal(ranStatement(ws.db, 'GROUP BY col', word), true);
    assert.equal(createResolver(ws.db).resolve('smtp_status_code', PHRASE), null);
  } finally {
    ws.close();
  }
});

test('pages of a common phrase equal brute force after an append, above coverage and after a removal', async () => {
  const ws = tempWorkspace();
  try {
    const first = newImport(ws.db);
    addReplies(ws.db, 0, MAX_RESOLVED_VALUES + 600);
    addOddRows(ws.db);
    updateSearchIndex(ws.db);
    checkPages(ws.db, 'one import');
    newImport(ws.db);
    addReplies(ws.db, 5000, 400);
    addOddRows(ws.db);
    checkPages(ws.db, 'appended, above the coverage');
    updateSearchIndex(ws.db);
    checkPages(ws.db, 'appended, covered');
    await removeImport(ws.db, first, new AbortController().signal);
    checkPages(ws.db, 'first import removed');
  } finally {
    ws.close();
  }
});

test('random phrases page as brute force', () => {
  const ws = tempWorkspace();
  try {
    newImport(ws.db);
    addReplies(ws.db, 0, MAX_RESOLVED_VALUES + 600);
    addOddRows(ws.db);
    updateSearchIndex(ws.db);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 3 }),
        fc.constantFrom(null, 'ERROR', 'OK'),
        (words, status) => {
          const phrase = words.join(' ');
          const q = `"${phrase}"${status === null ? '' : ` status:${status.toLowerCase()}`}`;
          assert.deepEqual(pagedIds(ws.db, { q }, 2), bruteIds(ws.db, phrase, status, 2), q);
        },
      ),
      { numRuns: 40 },
    );
  } finally {
    ws.close();
  }
});

test('oneColumnOver: more than the limit in one column, not across columns', () => {
  const rows = (cols: number[]): [number, string][] => cols.map((c, i) => [c, `v${i}`]);
  assert.equal(oneColumnOver(rows([4, 4, 4]), 2), true);
  assert.equal(oneColumnOver(rows([4, 0, 4]), 2), false);
  assert.equal(oneColumnOver(rows([4, 4]), 2), false);
});
