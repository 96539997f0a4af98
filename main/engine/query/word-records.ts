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
import { CHUNK_BYTES, MEMORY_CACHE_TABLE, readChunks, uint32View } from './memory-chunks';
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
 * Each other value's records (ids 1..upto) from one seek each (5M rows: 141 956 reply texts, ~0.5 s
 * of CPU under load), as one string per column, `vid:id,id;vid:;...` (more than maxPer ids: not kept),
 * read into `each(vid, list)` without an array or string per value (a row per value and a map of
 * them added ~20 MB to the dictionary build's peak RSS at 5M rows). `v.value || ''`: compared with
 * the bare column, SQLite did not seek lower(message_to_domain)'s index and scanned the records per
 * domain (16 domains: 4.2 s of CPU). Only where the column's index holds every record up to `upto`:
 * a partial index behind it (after an append) would leave the rest to a scan.
 */
function recordsByValue(
  db: Database,
  upto: number,
  vocabMax: number,
  maxPer: number,
  each: (vid: number, list: readonly number[]) => void,
): void {
  const list: number[] = [];
  for (const { column, expr, index } of LOOKUPS) {
    const col = SEARCH_COLUMNS.indexOf(column);
    const bound = partialIndexUpto(db, index);
    if (bound === null || (bound !== WHOLE && bound < upto)) continue;
    const text = db
      .prepare(
        `SELECT group_concat(v.id || ':' || ifnull((SELECT group_concat(id) FROM (SELECT id FROM records
            WHERE ${boundTerm(bound)} AND ${expr} = (v.value || '') AND id <= ${upto} LIMIT ${maxPer + 1})), ''), ';')
         FROM search_vocab v WHERE v.col = ? AND v.id <= ? AND v.value <> ''`,
      )
      .pluck()
      .get(col, vocabMax) as string | null;
    if (text === null) continue;
    let vid = 0;
    let num = 0;
    for (let i = 0; i <= text.length; i++) {
      const ch = i === text.length ? 59 : text.charCodeAt(i);
      if (ch >= 48 && ch <= 57) num = num * 10 + (ch - 48);
      else if (ch === 58) {
        vid = num;
        num = 0;
      } else {
        // ',' ends an id, ';' (or the end) a value: an empty list has no digits before it.
        if (text.charCodeAt(i - 1) !== 58) list.push(num);
        num = 0;
        if (ch === 59) {
          each(vid, list);
          list.length = 0;
        }
      }
    }
  }
}

/**
 * The kept map's address ids of `ids` (any order), read one chunk of `address.vid` at a time: all five
 * at once (keptAddressesOf over every id) took the dictionary build's peak RSS at 5M rows from
 * 266-277 to 330 MB.
 */
function addressesByChunk(db: Database, upto: number, ids: Uint32Array): Uint32Array | null {
  const out = new Uint32Array(ids.length);
  const order = Uint32Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b]);
  const per = CHUNK_BYTES / 4;
  for (let j = 0; j < order.length;) {
    const chunk = Math.floor(ids[order[j]] / per);
    let end = j;
    while (end < order.length && Math.floor(ids[order[end]] / per) === chunk) end++;
    const group = order.subarray(j, end);
    const got = keptAddressesOf(
      db,
      MEMORY_CACHE_TABLE,
      upto,
      Array.from(group, (k) => ids[k]),
    );
    if (got === null) return null;
    group.forEach((k, i) => (out[k] = got[i]));
    j = end;
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
  // No kept table in this snapshot (another import changed the generation before the memories were
  // written): no map to take the addresses from (import-lock.test.ts's second import met it).
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .pluck()
    .get(MEMORY_CACHE_TABLE);
  if (table === undefined) return null;
  const n = other.length >>> 1;
  // Per entry of `other` its records' count (-1: not kept), then their ids at the entry's start.
  const counts = new Int32Array(n).fill(-1);
  const first = new Uint32Array(n);
  const entry = (vid: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (other[2 * mid] === vid) return mid;
      if (other[2 * mid] < vid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const lists = new Map<number, Uint32Array>();
  recordsByValue(db, upto, vocabMax, maxPer, (vid, list) => {
    const i = entry(vid);
    if (i < 0 || list.length > maxPer) return;
    counts[i] = list.length;
    // One record (most reply texts) read back from `first`; more kept aside.
    if (list.length === 1) first[i] = list[0];
    else if (list.length > 1) lists.set(i, Uint32Array.from(list));
  });
  const starts = new Uint32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    starts[i] = total | (counts[i] < 0 ? NOT_KEPT : 0);
    if (counts[i] > 0) total += counts[i];
  }
  starts[n] = total;
  const ids = new Uint32Array(total);
  for (let i = 0, at = 0; i < n; i++) {
    if (counts[i] === 1) ids[at++] = first[i];
    else if (counts[i] > 1) {
      ids.set(lists.get(i) ?? [], at);
      at += counts[i];
    }
  }
  const addresses = addressesByChunk(db, upto, ids);
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

/**
 * The part built from the vocabulary's other values as read by its own statement (the same pairs the
 * dictionary's pass collects: the caller keeps the part only if they are equal, sameIds).
 */
export function wordRecordsFirst(
  db: Database,
  upto: number,
  vocabMax: number,
): { other: Uint32Array; row: [string, number, Buffer] } | null {
  // id * 8 + col: a number per value, no array per row.
  const coded = db
    .prepare('SELECT id * 8 + col FROM search_vocab WHERE col <> 0 AND id <= ? ORDER BY id')
    .pluck()
    .all(vocabMax) as number[];
  const other = new Uint32Array(2 * coded.length);
  coded.forEach((v, i) => {
    other[2 * i] = Math.floor(v / 8);
    other[2 * i + 1] = v % 8;
  });
  const row = wordRecordsRow(db, other, upto, vocabMax);
  return row === null ? null : { other, row };
}

export function sameIds(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
