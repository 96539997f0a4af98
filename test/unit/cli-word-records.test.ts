/**
 * The CLI's count of one free word from the kept other values' records (word-records.ts, part
 * `words.rec`, word-count.ts): equal to brute force with the part current (the other columns' SQL not
 * run), after an append, a re-import and a removal (kept again or not), with the part missing or
 * damaged, and for a word one of whose values has more records than are kept (counted by SQL); the
 * part's records and addresses against the records table for random values and bounds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { COLUMNS } from '../../common/columns';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { countRows } from '../../main/engine/query';
import { MEMORY_CACHE_TABLE, writeParts } from '../../main/engine/query/memory-cache';
import { recordsGeneration } from '../../main/engine/query/records-generation';
import { searchIndexCoverage, updateSearchIndex } from '../../main/engine/query/search-index';
import { otherValueRecords, WORD_RECORDS, wordRecordsRow } from '../../main/engine/query/word-records';
import { restoreWordTokens, wordTokens } from '../../main/engine/query/word-tokens-kept';
import { importFiles, workspace, writeCsvFiles, type Workspace } from './import-fixture';
import { ranStatement } from './statement-spy';
import { bruteCount } from './summary-brute';

const col = (id: string): number => COLUMNS.findIndex((c) => c.id === id);
const TO = col('message_to');
const SMTP = col('smtp_status_code');
const CORRELATION = col('correlation_id');
const JOB = col('job_id');

/** Answered from the part: their other values have few records each. */
const KEPT_WORDS = ['jane', 'zzq', 'weber1', 'nowhere'];
/** `quota`: one reply text of every 7th record (more than kept); the rest not token words or common. */
const WORDS = [...KEPT_WORDS, 'quota', 'max.weber', 'example', 'web.de', 'ja', 'mailbox'];

/**
 * Reply texts unique to a record holding `jane` (whose address may not), three shared by a few
 * records holding `zzq`, one of many holding `quota`; empty and upper-case addresses; IDs equal to
 * `zzq` and `jane` (one of each record also found through its reply text: counted once).
 */
function edited(row: readonly string[], i: number): string[] {
  const out = [...row];
  if (i % 31 === 0) out[TO] = '';
  else if (i % 13 === 0) out[TO] = out[TO].toUpperCase();
  if (i % 11 === 0) out[SMTP] = `550 5.1.1 jane ${i} left`;
  else if (i % 7 === 0) out[SMTP] = '452 4.2.2 over quota';
  else if (i % 97 === 0) out[SMTP] = `421 zzq try later ${i % 3}`;
  if (i === 5 || i === 194) out[CORRELATION] = 'zzq';
  if (i === 7 || i === 22) out[JOB] = 'jane';
  return out;
}

/** The statement by which word-count.ts reads the other columns' records without the part. */
const OTHER_SQL = 'SELECT json_group_array(v) FROM s';

/** A fresh read-only connection as the CLI opens it: the count, and whether the other columns' SQL ran. */
function cliCount(w: Workspace, q: string): { count: number; sql: boolean } {
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    restoreForSearch(db, { q }, 'count');
    let count = -1;
    const sql = ranStatement(db, OTHER_SQL, () => {
      count = countRows(db, { q });
    });
    return { count, sql };
  } finally {
    db.close();
  }
}

/** Every word and its negation equal brute force; `used`: the kept words answered from the part. */
function checkWords(w: Workspace, label: string, used: boolean): void {
  for (const word of WORDS)
    for (const q of [word, `-${word}`]) {
      const { count, sql } = cliCount(w, q);
      assert.equal(count, bruteCount(w.db, { q }), `${label}: count ${q}`);
      if (used && KEPT_WORDS.includes(word)) assert.equal(sql, false, `${label}: ${q} from the part`);
    }
  // A value with more records than kept: the word is counted by SQL.
  if (used) assert.equal(cliCount(w, 'quota').sql, true, `${label}: quota by SQL`);
}

test('one word counts exactly from the kept other records, and by SQL where they do not fit', async () => {
  const w = workspace();
  const files = writeCsvFiles(
    w.dir,
    [
      { rows: 2500, seed: 81, startMs: Date.UTC(2026, 9, 1) },
      { rows: 900, seed: 82, startMs: Date.UTC(2026, 9, 12) },
    ],
    edited,
  );
  try {
    await importFiles(w.db, files.slice(0, 1), { keepMemories: false });
    keepMemories(w.db);
    checkWords(w, 'current part', true);

    await importFiles(w.db, files.slice(1), { keepMemories: false });
    checkWords(w, 'part behind an append', false);
    keepMemories(w.db);
    checkWords(w, 'kept after the append', true);

    await importFiles(w.db, files.slice(0, 1), { keepMemories: false, force: true });
    keepMemories(w.db);
    checkWords(w, 'kept after a re-import', true);

    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    updateSearchIndex(w.db);
    checkWords(w, 'after a removal', false);
    keepMemories(w.db);
    checkWords(w, 'kept after the removal', true);

    const data = w.db
      .prepare(`SELECT data FROM ${MEMORY_CACHE_TABLE} WHERE name = ?`)
      .pluck()
      .get(WORD_RECORDS) as Buffer;
    w.db
      .prepare(`UPDATE ${MEMORY_CACHE_TABLE} SET data = ? WHERE name = ?`)
      .run(data.subarray(0, 40), WORD_RECORDS);
    checkWords(w, 'a damaged part', false);
    assert.equal(cliCount(w, 'jane').sql, true, 'a damaged part: by SQL');
    w.db.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE} WHERE name = ?`).run(WORD_RECORDS);
    checkWords(w, 'no part', false);
    assert.equal(cliCount(w, 'jane').sql, true, 'no part: by SQL');
  } finally {
    w.cleanup();
  }
});

test("the part holds each kept value's records and addresses, and marks the values with more", async () => {
  const w = workspace();
  const [file] = writeCsvFiles(w.dir, [{ rows: 1200, seed: 83, startMs: Date.UTC(2026, 9, 1) }], edited);
  try {
    await importFiles(w.db, [file], { keepMemories: false });
    keepMemories(w.db);
    const others = (
      w.db
        .prepare("SELECT id FROM search_vocab WHERE col <> 0 AND value <> '' ORDER BY id")
        .pluck()
        .all() as number[]
    ).filter((id) => id > 0);
    const valueOf = w.db.prepare('SELECT col, value FROM search_vocab WHERE id = ?');
    const addressOf = w.db
      .prepare("SELECT ifnull(value, '') FROM search_vocab WHERE id = ? AND col = 0")
      .pluck();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.uniqueArray(fc.constantFrom(...others), { minLength: 1, maxLength: 12 }),
        (maxPer, picked) => {
          const vids = Uint32Array.from(picked).sort();
          const db = openDatabase(w.dbPath, { readonly: true });
          try {
            const { row, generation } = db.transaction(() => {
              const upto = searchIndexCoverage(db);
              const vocabMax = db.prepare('SELECT max(id) FROM search_vocab').pluck().get() as number;
              assert.ok(restoreWordTokens(db, MEMORY_CACHE_TABLE, upto));
              const t = wordTokens(db);
              assert.ok(t !== null);
              return {
                row: wordRecordsRow(db, t.other, upto, vocabMax, maxPer),
                generation: recordsGeneration(db),
              };
            })();
            assert.ok(row !== null);
            writeParts(w.db, generation, [row]);
            const t = wordTokens(db);
            assert.ok(t !== null);
            const got = db.transaction(() => otherValueRecords(db, t, vids))();
            // Brute force: each value's records by a scan; the columns without an index are not kept.
            const want: [number, string][] = [];
            let kept = true;
            for (const vid of vids) {
              const { col, value } = valueOf.get(vid) as { col: number; value: string };
              const column = col === 4 ? 'smtp_status_code' : col === 2 ? 'lower(message_to_domain)' : null;
              const rows =
                column === null
                  ? []
                  : (w.db
                      .prepare(
                        `SELECT id, ifnull(lower(message_to), '') AS a FROM records NOT INDEXED WHERE ${column} = ?`,
                      )
                      .all(value) as { id: number; a: string }[]);
              if (column === null || rows.length > maxPer) kept = false;
              for (const r of rows) want.push([r.id, r.a]);
            }
            if (!kept) return assert.equal(got, null);
            assert.ok(got !== null);
            const seen = [...got.ids].map((id, k): [number, string] => {
              const a = got.addresses[k];
              return [id, a === 0 ? '' : ((addressOf.get(a) as string | undefined) ?? `?${a}`)];
            });
            const order = (x: [number, string][]): [number, string][] => [...x].sort((p, q) => p[0] - q[0]);
            assert.deepEqual(order(seen), order(want));
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 40, seed: 18 },
    );
  } finally {
    w.cleanup();
  }
});
