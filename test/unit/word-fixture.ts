/**
 * Generated rows edited for the free-word tests of the kept token dictionary: empty, upper-case,
 * non-ASCII (`JÄNE`) and Kelvin-sign (`\u212Aane`) addresses, reply texts holding `jane`; optionally
 * addresses with LIKE wildcards and empty regions. One place, so the CLI count, the CLI facets and the
 * page reader's tests check the dictionary against the same odd spellings.
 */
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { COLUMNS } from '../../common/columns';
import { pageWordTokens } from '../../main/engine/query/page-words';
import { writeCsvFiles } from './import-fixture';

const TO = COLUMNS.findIndex((c) => c.id === 'message_to');
const SMTP = COLUMNS.findIndex((c) => c.id === 'smtp_status_code');
const REGION = COLUMNS.findIndex((c) => c.id === 'processing_region');

export interface OddWords {
  /** `50%jane_…` addresses: a LIKE wildcard in the value. */
  readonly wildcards?: boolean;
  /** Every 17th record's Processing Region empty. */
  readonly blankRegions?: boolean;
}

/** Row `i` of a generated file with the odd spellings above. */
export function oddWordRow(row: readonly string[], i: number, odd: OddWords = {}): string[] {
  const out = [...row];
  if (i % 31 === 0) out[TO] = '';
  else if (i % 29 === 0) out[TO] = `JÄNE.${i}@web.de`;
  else if (i % 23 === 0) out[TO] = `\u212Aane_${i}@web.de`;
  else if (odd.wildcards === true && i % 19 === 0) out[TO] = `50%jane_${i}@web.de`;
  else if (i % 13 === 0) out[TO] = out[TO].toUpperCase();
  if (i % 11 === 0) out[SMTP] = `550 5.1.1 jane ${i} left`;
  if (odd.blankRegions === true && i % 17 === 0) out[REGION] = '';
  return out;
}

/** The vocabulary ids whose value holds `word` by LIKE, split as keptWordIds splits them (addresses, the rest). */
export function likeIds(db: Database, word: string): { addresses: number[]; others: number[] } {
  const rows = db
    .prepare("SELECT id, col FROM search_vocab WHERE value LIKE ? ESCAPE '\\' ORDER BY id")
    .raw()
    .all(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as [number, number][];
  return {
    addresses: rows.filter(([, col]) => col === 0).map(([id]) => id),
    others: rows.filter(([, col]) => col !== 0).map(([id]) => id),
  };
}

/**
 * Words as a user types them: a 3-9 character cut of a value in the workspace's vocabulary, sometimes
 * upper-cased, without the search syntax's own characters (so each is one free word).
 */
export function vocabularyWord(db: Database): fc.Arbitrary<string> {
  const values = db
    .prepare('SELECT DISTINCT value FROM search_vocab WHERE length(value) >= 3 ORDER BY id LIMIT 400')
    .pluck()
    .all() as string[];
  return fc
    .record({
      value: fc.constantFrom(...values),
      from: fc.nat(),
      length: fc.integer({ min: 3, max: 9 }),
      upper: fc.boolean(),
    })
    .map(({ value, from, length, upper }) => {
      const at = from % Math.max(1, value.length - 2);
      const cut = value.slice(at, at + length);
      return upper ? cut.toUpperCase() : cut;
    })
    .filter((s) => s.trim() === s && s.length >= 3 && !/[\s"():-]/.test(s));
}

/**
 * Two generated exports with the odd spellings and LIKE wildcards: 2 500 rows from `seed`, then 900
 * from `seed + 1` eleven days later (the second one is the append).
 */
export function oddWordFiles(dir: string, seed: number): string[] {
  return writeCsvFiles(
    dir,
    [
      { rows: 2500, seed, startMs: Date.UTC(2026, 9, 1) },
      { rows: 900, seed: seed + 1, startMs: Date.UTC(2026, 9, 12) },
    ],
    (row, i) => oddWordRow(row, i, { wildcards: true }),
  );
}

/** Whether `db` uses a restored token dictionary now (page-words.ts). */
export function tokensTaken(db: Database): boolean {
  return db.transaction(() => pageWordTokens(db) !== undefined)();
}
