/**
 * The records of the token dictionary's other values (word-tokens-kept.ts `words.other`: reply texts,
 * domains, senders), each with its address id, kept beside the dictionary as part `words.rec`: the
 * CLI's count of one free word (word-count.ts) then takes the records a word finds through another
 * column from here, without the SQL that read their ids and the kept map's chunks that held their
 * addresses.
 *
 * Why (5M rows, copy of the shared case, `count jane` in a fresh process under load): the other
 * columns' 11 839 records by SQL and their addresses from the five 4 MiB chunks of `address.vid` were
 * ~80 of the ~220 ms of CPU. Of the 141 956 reply texts, 141 729 are held by one record and 19 by
 * 4.86M records: the values with at most MAX_VALUE_RECORDS records are kept (1.1 MB of pairs), the
 * others are marked, and a word that finds one of those is counted as before.
 *
 * Layout (Uint32): vocabMax, maxPer, n (the entries of `words.other`), then n + 1 starts into the
 * pairs (bit 31 of entry i's start: its records are not kept), then (record id, address id) pairs.
 * Written in the dictionary's transaction with its coverage; read only when that, the records
 * generation, vocabMax and n are the restored dictionary's.
 */
import type { Database } from 'better-sqlite3';
import { keptAddressesOf } from './address-counts';
import { MEMORY_CACHE_TABLE, readChunks, uint32View } from './memory-chunks';
import { boundTerm, partialIndexUpto, WHOLE } from './partial-index';
import { recordsGeneration } from './records-generation';
import { SEARCH_COLUMNS, type SearchColumn } from './search-index';
import type { KeptTokens } from './word-tokens-kept';

export const WORD_RECORDS = 'words.rec';
/** Records kept per value at most: past it a value is common, and its word is counted by SQL. */
export const MAX_VALUE_RECORDS = 64;
const NOT_KEPT = 0x80000000;
const HEAD = 3;

/** Other columns whose values are looked up by an index of theirs (the senders have none: not kept). */
const LOOKUPS: readonly { readonly column: SearchColumn; readonly expr: string; readonly index: string }[] = [
  { column: 'smtp_status_code', expr: 'smtp_status_code', index: 'records_smtp' },
  { column: 'message_to_domain', expr: 'lower(message_to_domain)', index: 'records_to_domain' },
];

/**
 * Each other value's records (ids 1..upto, comma-separated; absent: not kept) from one seek each
 * (5M rows: 141 956 reply texts, ~0.5 s of CPU under load). `v.value || ''`: compared with the bare
 * column, SQLite did not seek lower(message_to_domain)'s index and scanned the records per domain
 * (16 domains: 4.2 s of CPU). Only where the column's index holds every record up
 * to `upto`: a partial index behind it (after an append) would leave the rest to a scan.
 */
function recordsByValue(db: Database, upto: number, vocabMax: number, maxPer: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const { column, expr, index } of LOOKUPS) {
    const col = SEARCH_COLUMNS.indexOf(column);
    const bound = partialIndexUpto(db, index);
    if (bound === null || (bound !== WHOLE && bound < upto)) continue;
    const rows = db
      .prepare(
        `SELECT v.id, (SELECT group_concat(id) FROM (SELECT id FROM records
            WHERE ${boundTerm(bound)} AND ${expr} = (v.value || '') AND id <= ${upto} LIMIT ${maxPer + 1}))
         FROM search_vocab v WHERE v.col = ? AND v.id <= ? AND v.value <> ''`,
      )
      .raw()
      .all(col, vocabMax) as [number, string | null][];
    for (const [vid, ids] of rows) out.set(vid, ids ?? '');
  }
  return out;
}

/**
 * The part for the dictionary's `other` pairs (vocabulary id, column; ascending), built in the
 * caller's read transaction at `upto` (the vocabulary's coverage); null when the kept address map
 * does not hold exactly 1..upto (the count path needs it then anyway).
 */
export function wordRecordsRow(
  db: Database,
  other: Uint32Array,
  upto: number,
  vocabMax: number,
  maxPer = MAX_VALUE_RECORDS,
): [string, number, Buffer] | null {
  const byValue = recordsByValue(db, upto, vocabMax, maxPer);
  const n = other.length >>> 1;
  const starts = new Uint32Array(n + 1);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const list = byValue.get(other[2 * i]);
    const got = list === undefined || list === '' ? [] : list.split(',').map(Number);
    starts[i] = ids.length | (list === undefined || got.length > maxPer ? NOT_KEPT : 0);
    if (got.length <= maxPer) for (const id of got) ids.push(id);
  }
  starts[n] = ids.length;
  const addresses =
    ids.length === 0 ? new Uint32Array(0) : keptAddressesOf(db, MEMORY_CACHE_TABLE, upto, ids);
  if (addresses === null) return null;
  const data = new Uint32Array(HEAD + n + 1 + 2 * ids.length);
  data.set([vocabMax, maxPer, n]);
  data.set(starts, HEAD);
  let at = HEAD + n + 1;
  for (let k = 0; k < ids.length; k++) {
    data[at++] = ids[k];
    data[at++] = addresses[k];
  }
  return [WORD_RECORDS, upto, Buffer.from(data.buffer, data.byteOffset, data.byteLength)];
}

interface KeptRecords {
  readonly tokens: KeptTokens;
  readonly starts: Uint32Array;
  readonly pairs: Uint32Array;
}

const restored = new WeakMap<Database, KeptRecords | null>();

/** The kept part when it fits the restored dictionary `t` (read once per connection and dictionary); else null. */
function keptRecords(db: Database, t: KeptTokens): KeptRecords | null {
  const had = restored.get(db);
  if (had !== undefined && (had === null || had.tokens === t)) return had;
  let got: KeptRecords | null = null;
  const part = readChunks(db, MEMORY_CACHE_TABLE, recordsGeneration(db), WORD_RECORDS).get(WORD_RECORDS);
  const data = part === undefined || part.data.length % 4 !== 0 ? null : uint32View(part.data);
  const n = t.other.length >>> 1;
  if (part?.upto === t.upto && data !== null && data.length >= HEAD + n + 1) {
    const starts = data.subarray(HEAD, HEAD + n + 1);
    const pairs = data.subarray(HEAD + n + 1);
    if (data[0] === t.vocabMax && data[2] === n && pairs.length === 2 * starts[n])
      got = { tokens: t, starts, pairs };
  }
  restored.set(db, got);
  return got;
}

/** Whether the kept part fits the restored dictionary `t` (read here once per connection). */
export function hasWordRecords(db: Database, t: KeptTokens): boolean {
  return keptRecords(db, t) !== null;
}

/**
 * The records (ids and address ids, aligned) of the other values `vids` (ascending, each in the
 * dictionary's `other`), from the kept part; null when it is not kept or fits not, or a value's
 * records are not kept (common: more than its maxPer).
 */
export function otherValueRecords(
  db: Database,
  t: KeptTokens,
  vids: Uint32Array,
): { ids: Uint32Array; addresses: Uint32Array } | null {
  const kept = vids.length === 0 ? null : keptRecords(db, t);
  if (kept === null)
    return vids.length === 0 ? { ids: new Uint32Array(0), addresses: new Uint32Array(0) } : null;
  const { starts, pairs } = kept;
  const other = t.other;
  const n = other.length >>> 1;
  const ids: number[] = [];
  const addresses: number[] = [];
  // Both ascending: one merge walk finds each value's entry.
  let i = 0;
  for (const vid of vids) {
    while (i < n && other[2 * i] < vid) i++;
    if (i === n || other[2 * i] !== vid) return null;
    const from = starts[i];
    if ((from & NOT_KEPT) !== 0) return null;
    const to = starts[i + 1] & ~NOT_KEPT;
    for (let k = from; k < to; k++) {
      ids.push(pairs[2 * k]);
      addresses.push(pairs[2 * k + 1]);
    }
  }
  return { ids: Uint32Array.from(ids), addresses: Uint32Array.from(addresses) };
}
