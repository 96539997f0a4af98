/**
 * The page reader's in-memory copy of the columns no index orders (sender, Reference Job, Tenant,
 * ...): each record's value as a small code in a typed array indexed by record id, plus the column's
 * distinct values and their order. A sorted page is then two passes over those arrays (sort-codes.ts)
 * instead of SQLite ordering the whole table by the column (5M rows: 0.7-1.5 s a first page, minutes
 * for a deep one with OFFSET; README, "Sorts by the columns no index orders").
 *
 * Codes are given in the order values are first seen (0 = no record with that id: ids left by a
 * removal); `ranks` lists the codes in SQLite's ORDER BY order of their values, so a value appended
 * later that sorts in the middle only inserts one entry there and no record is re-coded.
 *
 * Memory: 1 byte a record per column of at most 255 distinct values, 2 up to 65 535, 4 above; a
 * column with more than MAX_DISTINCT values is dropped at that point and its sorts stay on SQL (Meta
 * Data ID and its time are unique: they have bucket codes of their own, unique-codes.ts). 5M records: ~50-70 MB for the bench's case, on the page reader only.
 *
 * Kept exact like the facts mirror (facts-memory.ts): the copy belongs to one records generation
 * (records-generation.ts, bumped whenever records are deleted or updated) and covers the ids up to
 * `upto`; rowids are allocated above the largest, so new records are all above it. A request loads
 * a delta of at most one step on; a larger one is loaded in steps while the reader is idle
 * (worker/idle-codes.ts), and until then callers take the SQL path.
 */
import type { Database } from 'better-sqlite3';
import { currentCopy, recordsGeneration, maxRecordId } from './records-generation';
import { smoothChunk } from './step-size';
import { codeTotals, type CodeTotals } from './code-totals';

export { codeTotals, MARK_EVERY, SMALL_CODE, type CodeTotals } from './code-totals';
import { compareSqlValues, valueKey, type SqlValue } from './sql-order';
import { readColumns } from './column-read';

/** The sort expressions (sql.ts ResolvedSortKey.expr) kept here: no index starts with them. */
export const CODE_EXPRS: readonly string[] = [
  'message_from',
  'message_from_domain',
  'reference_job',
  'cost_center',
  'provisioning_id',
  'tenant',
  'technical_account_id',
  'campaign_id',
  'version',
  // A handful of values and no index: SQLite sorted every match by them (5M, `jane` / `after:` with
  // shared id sets: 430-840 ms a page); here 1 byte a record.
  'entry_interface',
  'processing_region',
  // records_to_domain is (lower(domain), domain), not (.., id): ascending sorts the first domain's
  // rows by id over the table (5M: 1.2-1.3 s).
  'lower(message_to_domain)',
];

/**
 * Also coded, but sorted with a time tie-break (resolveSort), so not by sort-codes.ts: a filter's
 * matches are counted per value here, then read along the value's (column, time) index
 * (status-page.ts).
 */
export const TIE_CODE_EXPRS: readonly string[] = ['status', 'substatus', 'status_details'];

/**
 * Each record's hour of creation (epoch ms / 3 600 000, SQLite's integer division; a time not stored
 * as an integer, NULL included, as the text 'x' || its type): not a sort, but the page reader's
 * after:/before: sets (time-codes.ts, codes-ids.ts). Without it the page reader found them by SQL
 * (5M rows: `after:2026-10-20`, 1.8M ids, 0.4-0.5 s before every first page it served). 2 bytes a
 * record (~10 MB at 5M), read in the codes' own pass.
 */
export const HOUR_CODE_EXPR =
  "CASE typeof(creation_time_ms) WHEN 'integer' THEN creation_time_ms / 3600000 ELSE 'x' || typeof(creation_time_ms) END";

/** Distinct values a column may have here: the values, their Map and the rank list stay a few MB. */
export const MAX_DISTINCT = 1 << 18;

/**
 * Records a request codes itself when the copy is behind (an append), and the most an idle step reads
 * (all columns in one pass over them). Measured at 1M rows under load ~4-5: 20 000 records took
 * 100-500 ms a step (reading the records is most of it: a bare count(*) over the same range 50-200 ms).
 */
export const CODES_CHUNK = 10_000;

/**
 * Wall time an idle step aims at: a page arriving during a step waits for it. Fixed 10 000-record
 * steps took 100-300 ms at 1M under load and up to 299 ms at 5M (the cold page at row 500 000 newest
 * first was 31.7 ms in the 5M run, 11.4 ms before the codes), so the records per step follow the
 * time the last step took.
 */
export const CODES_STEP_MS = 20;

/**
 * A column with more distinct values than half its records after this many is (nearly) unique: it
 * would pass MAX_DISTINCT later anyway, so it is dropped before its Map holds 2^18 strings.
 */
const UNIQUE_AFTER = 40_000;

type Codes = Uint8Array | Uint16Array | Uint32Array;

export interface ColumnCodes {
  /** Code of each record id's value; 0: no record. */
  codes: Codes;
  /** code -> value (index 0 unused). */
  readonly values: SqlValue[];
  /** Codes in ascending sort order of their values; null until first asked for. */
  ranks: number[] | null;
  /** Over every record up to `upto` (sort-codes.ts); null until asked for, dropped on each load. */
  totals: CodeTotals | null;
}

interface ColumnState extends ColumnCodes {
  readonly byKey: Map<string, number>;
}

interface Memory {
  readonly generation: string;
  /** Every record with id <= upto is coded. */
  upto: number;
  /** Columns still kept (a column over MAX_DISTINCT, or with a value JS cannot hold exactly, leaves). */
  readonly cols: Map<string, ColumnState>;
  /** Records per idle step, adjusted toward CODES_STEP_MS. */
  chunk: number;
}

const memories = new WeakMap<Database, Memory>();
const enabled = new WeakSet<Database>();

/** Lets this connection keep the codes (the page reader only; each costs 1-4 bytes a record a column). */
export function enableColumnCodes(db: Database): void {
  enabled.add(db);
}

function emptyMemory(generation: string, size: number): Memory {
  const cols = new Map<string, ColumnState>();
  for (const expr of [...CODE_EXPRS, ...TIE_CODE_EXPRS, HOUR_CODE_EXPR])
    cols.set(expr, {
      codes: new Uint8Array(size),
      values: [null],
      ranks: null,
      totals: null,
      byKey: new Map(),
    });
  return { generation, upto: 0, cols, chunk: 2000 };
}

function widen(codes: Codes, distinct: number, size: number): Codes {
  const need = distinct > 0xffff ? 4 : distinct > 0xff ? 2 : 1;
  const n = size > codes.length ? Math.max(size, Math.ceil(codes.length * 1.5)) : codes.length;
  if (need === codes.BYTES_PER_ELEMENT && n === codes.length) return codes;
  const bytes = Math.max(need, codes.BYTES_PER_ELEMENT);
  const out = bytes === 4 ? new Uint32Array(n) : bytes === 2 ? new Uint16Array(n) : new Uint8Array(n);
  out.set(codes);
  return out;
}

/** Puts a code into the ascending rank list by binary search over the values. */
function insertRank(col: ColumnState, code: number): void {
  const ranks = col.ranks;
  if (ranks === null) return;
  const v = col.values[code];
  let lo = 0;
  let hi = ranks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareSqlValues(col.values[ranks[mid]], v) < 0) lo = mid + 1;
    else hi = mid;
  }
  ranks.splice(lo, 0, code);
}

/** Codes the records with lo < id <= hi, inside the caller's read transaction. */
function load(db: Database, m: Memory, lo: number, hi: number): void {
  const exprs = [...m.cols.keys()];
  if (exprs.length === 0) {
    m.upto = hi;
    return;
  }
  const read = readColumns(db, exprs, lo, hi);
  const ids = read.ids;
  const size = ids.length > 0 ? ids[ids.length - 1] + 1 : 0;
  exprs.forEach((expr, c) => {
    const col = m.cols.get(expr) as ColumnState;
    const vals = read.values(c);
    col.totals = null;
    col.codes = widen(col.codes, col.values.length, size);
    const fresh: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const key = valueKey(vals[i]);
      let code = key === null ? undefined : col.byKey.get(key);
      if (code === undefined) {
        // A value JSON cannot carry exactly (an integer beyond 2^53), or too many values: SQL sorts it.
        if (key === null || col.values.length > MAX_DISTINCT) {
          m.cols.delete(expr);
          return;
        }
        code = col.values.length;
        col.values.push(vals[i]);
        col.byKey.set(key, code);
        fresh.push(code);
        if (code === 0x100 || code === 0x10000) col.codes = widen(col.codes, code, size);
      }
      col.codes[ids[i]] = code;
    }
    if (
      ids.length > 0 &&
      ids[ids.length - 1] >= UNIQUE_AFTER &&
      col.values.length > ids[ids.length - 1] / 2
    ) {
      m.cols.delete(expr);
      return;
    }
    // Many new values at once: sort again when asked rather than insert each.
    if (fresh.length > 1000) col.ranks = null;
    else for (const code of fresh) insertRank(col, code);
  });
  m.upto = hi;
}

/**
 * One step of coding the records up to max(id), in one read transaction; true while more steps are
 * needed. For the worker's idle loop (and the bench, which runs it to the end before timing pages).
 */
export function stepColumnCodes(db: Database, chunk?: number): boolean {
  if (!enabled.has(db)) return false;
  const t0 = performance.now();
  let loaded = 0;
  const more = db.transaction(() => {
    const top = maxRecordId(db);
    const m = currentCopy(db, memories, top, (generation) => emptyMemory(generation, top + 1));
    if (m === null) return false;
    if (m.upto >= top) {
      // Loaded: one column's totals a step, so the first unfiltered page does not pass over them all.
      const col = [...m.cols.values()].find((c) => c.totals === null);
      if (col !== undefined) codeTotals(col, m.upto);
      return col !== undefined;
    }
    const from = m.upto;
    load(db, m, from, Math.min(top, from + (chunk ?? m.chunk)));
    loaded = m.upto - from;
    return true;
  })();
  const m = memories.get(db);
  // Steps of records only: a totals step says nothing about the time a record takes.
  if (m !== undefined && chunk === undefined && loaded > 0) {
    const ms = Math.max(1, performance.now() - t0);
    m.chunk = smoothChunk(m.chunk, (loaded * CODES_STEP_MS) / ms, CODES_CHUNK);
  }
  return more;
}

/** Whether this connection keeps the codes (it is a page reader). */
export function columnCodesEnabled(db: Database): boolean {
  return enabled.has(db);
}

/** The whole copy's coverage now (tests and the bench check the loading with it). */
export function columnCodesUpto(db: Database): number {
  return memories.get(db)?.upto ?? 0;
}

/**
 * The codes of `expr` covering every record now, or null (not kept, another generation, or more
 * than one step behind: the caller takes the SQL path). Call inside the caller's read transaction.
 */
export function columnCodes(
  db: Database,
  expr: string,
  chunk = CODES_CHUNK,
): { readonly col: ColumnCodes; readonly upto: number } | null {
  const m = memories.get(db);
  if (m === undefined || m.generation !== recordsGeneration(db)) return null;
  const top = maxRecordId(db);
  if (top < m.upto || top - m.upto > chunk) return null;
  if (top > m.upto) load(db, m, m.upto, top);
  const col = m.cols.get(expr);
  if (col === undefined) return null;
  if (col.ranks === null) {
    const ranks = Array.from({ length: col.values.length - 1 }, (_, i) => i + 1);
    ranks.sort((a, b) => compareSqlValues(col.values[a], col.values[b]));
    col.ranks = ranks;
  }
  return { col, upto: m.upto };
}

/** Bytes the codes hold now, and the sort expressions kept (the bench prints them). */
export function columnCodesSize(db: Database): { readonly bytes: number; readonly kept: readonly string[] } {
  const cols = memories.get(db)?.cols ?? new Map<string, ColumnState>();
  let bytes = 0;
  for (const c of cols.values()) bytes += c.codes.byteLength;
  return { bytes, kept: [...cols.keys()] };
}

/** Forgets the copy (tests use it to compare both paths). */
export function dropColumnCodes(db: Database): void {
  memories.delete(db);
}
