/**
 * The page reader's bucket codes for the two columns whose values are unique (Meta Data ID and Meta
 * Data Creation Time): no index orders them and the value codes (column-codes.ts) give up on them, so
 * a first page sorted by one was a whole-table top-N sort (5M: up to 1.8 s) and a deep one an OFFSET
 * sort (minutes).
 *
 * Splitters are taken from a sample of the column (evenly spaced ids), sorted as SQLite's ORDER BY
 * sorts (sql-order.ts; unique-splitters.ts). A record's code is its bucket: odd codes lie strictly between two splitters,
 * even codes hold exactly one splitter's value. Bucket order is value order, so a page is: counts per
 * code -> the codes covering [startRow, endRow) -> their ids (one pass over the codes or the filter's
 * id set) -> the values of the few hundred records of the odd buckets read by id -> exact sort (value,
 * then id) -> slice (unique-page.ts). An even bucket holds one value: its rows are in id order.
 *
 * Exact for any values: a value appended later joins the bucket it sorts into; a column too skewed
 * for its splitters (or grown far past its sample by appends) only makes a bucket bigger: past
 * BUCKET_LIMIT records a bucket is too slow to read, and the codes are built again from a new sample.
 * Kept like the value codes: one records generation, ids up to `upto` (records-generation.ts).
 *
 * Memory: 2 bytes a record per column (Uint16Array) plus ~16 k splitters: 5M records ~70 MB for
 * the seven columns.
 */
import type { Database } from 'better-sqlite3';
import { currentCopy, recordsGeneration, maxRecordId } from './records-generation';
import { smoothChunk } from './step-size';
import { valueKey, type SqlValue } from './sql-order';
import { codeOf, exact, MAX_SPLITTERS, SAMPLE_SIZE, sampleIdsOf, splittersOf } from './unique-splitters';
import { readColumns } from './column-read';
import { bucketOrder, stepBucketOrders, type OrderWant } from './unique-order';

/**
 * The sort expressions (sql.ts ResolvedSortKey.expr) served here. Message To and Correlation ID have
 * indexes, but a filter that goes with their order defeats them: `jane` by To (its addresses sit
 * together) walked ~2.7M index entries before its page and `after:` by Correlation ID most of
 * records_correlation (5M rows, under load: 0.4-1.1 s a first page, 0.55-1.6 s at row 9 950); from
 * the filter's set and the buckets 40-90 ms. Cost: 2 bytes a record each, and their values read once
 * while idle.
 */
export const UNIQUE_EXPRS: readonly string[] = [
  'meta_data_id',
  'meta_data_creation_time_ms',
  'lower(message_to)',
  'correlation_id',
  // Indexed, but a filter that leaves the index's first entries unmatched walked them all: 5M,
  // `after:2026-10-20` by Usage ID / Job ID asc (their text order starts at the oldest messages)
  // 0.6-0.8 s a first page, `-status:error` by SMTP reply desc (the 5xx replies first) 0.3 s (13b).
  'usage_id',
  'job_id',
  'smtp_status_code',
];

/** Sample records read by id per step (~1-3 ms a hundred when the pages are not cached). */
const SAMPLE_STEP = 1024;

/** Wall time a load step aims at: a page arriving meanwhile waits for at most about this long. */
export const STEP_MS = 20;

/** Records of an odd bucket past which the codes are built again (reading its values costs ms). */
export const BUCKET_LIMIT = 20_000;

/** Records a request codes itself when the copy is behind (an append); more waits for the idle steps. */
export const UNIQUE_INLINE = 5000;

export interface UniqueColumn {
  /** Sorted distinct splitter values. */
  readonly splitters: readonly SqlValue[];
  /** Code of each record id; 0: no record. */
  codes: Uint16Array;
  /** Records per code. */
  readonly counts: Uint32Array;
  /** Per code, its lowest and highest id (0: none): an unfiltered page scans only between them. */
  readonly firstId: Uint32Array;
  readonly lastId: Uint32Array;
}

interface Memory {
  readonly generation: string;
  /** Every record with id <= upto is coded (0 while sampling). */
  upto: number;
  /** Sample ids still to read, and the values read so far (per column). */
  readonly sampleIds: number[];
  sampled: number;
  readonly samples: Map<string, SqlValue[]>;
  /** Columns whose splitters are built, one a step after the sample is read. */
  readonly built: Map<string, UniqueColumn>;
  /** `built`, once every column's are; columns that cannot be coded are left out. */
  cols: Map<string, UniqueColumn> | null;
  /** Records per load step, adjusted toward STEP_MS. */
  chunk: number;
  /** A bucket passed `bucketLimit` records: build again on the next step. */
  stale: boolean;
  readonly bucketLimit: number;
  /** max(id) when sampled: only buckets grown by records above it are worth a new sample. */
  readonly sampledTop: number;
}

const memories = new WeakMap<Database, Memory>();
const enabled = new WeakSet<Database>();

/** Lets this connection keep the bucket codes (the page reader only). */
export function enableUniqueCodes(db: Database): void {
  enabled.add(db);
}

function emptyMemory(generation: string, top: number, tuning: UniqueTuning): Memory {
  return {
    generation,
    upto: 0,
    sampleIds: sampleIdsOf(top, tuning.sampleSize ?? SAMPLE_SIZE),
    sampled: 0,
    samples: new Map(UNIQUE_EXPRS.map((e) => [e, []])),
    built: new Map(),
    cols: null,
    chunk: 2000,
    stale: false,
    bucketLimit: tuning.bucketLimit ?? BUCKET_LIMIT,
    sampledTop: top,
  };
}

/** Reads the next piece of the sample, or builds one column's splitters (a sort of tens of ms). */
function sampleStep(db: Database, m: Memory, size: number, maxSplitters: number): void {
  if (m.sampled < m.sampleIds.length) {
    const ids = m.sampleIds.slice(m.sampled, m.sampled + size);
    const rows = db
      .prepare(`SELECT ${UNIQUE_EXPRS.join(', ')} FROM records WHERE id IN (SELECT value FROM json_each(?))`)
      .raw()
      .all(JSON.stringify(ids)) as unknown[][];
    for (const row of rows) UNIQUE_EXPRS.forEach((e, c) => m.samples.get(e)?.push(row[c] as SqlValue));
    m.sampled += ids.length;
    return;
  }
  const [expr, sample] = [...m.samples][0] ?? [];
  if (expr !== undefined && sample !== undefined) {
    m.samples.delete(expr);
    if (sample.every(exact)) {
      const splitters = splittersOf(sample, maxSplitters);
      const n = 2 * splitters.length + 2;
      m.built.set(expr, {
        splitters,
        // Sized for the records sampled: grown only by appends.
        codes: new Uint16Array(m.sampledTop + 1),
        counts: new Uint32Array(n),
        firstId: new Uint32Array(n),
        lastId: new Uint32Array(n),
      });
    }
  }
  if (m.samples.size === 0) m.cols = m.built;
}

function grow(codes: Uint16Array, size: number): Uint16Array {
  if (size <= codes.length) return codes;
  const out = new Uint16Array(Math.max(size, Math.ceil(codes.length * 1.5)));
  out.set(codes);
  return out;
}

/** Codes the records with lo < id <= hi, inside the caller's read transaction. */
function load(db: Database, m: Memory, lo: number, hi: number): void {
  const cols = m.cols;
  if (cols === null) return;
  const exprs = [...cols.keys()];
  if (exprs.length === 0) {
    m.upto = hi;
    return;
  }
  const read = readColumns(db, exprs, lo, hi);
  const ids = read.ids;
  const size = ids.length > 0 ? ids[ids.length - 1] + 1 : 0;
  exprs.forEach((expr, c) => {
    const col = cols.get(expr) as UniqueColumn;
    const vals = read.values(c);
    col.codes = grow(col.codes, size);
    for (let i = 0; i < ids.length; i++) {
      const v = vals[i];
      // A number JSON cannot carry exactly: SQL sorts this column.
      if (valueKey(v) === null) {
        cols.delete(expr);
        return;
      }
      const id = ids[i];
      const code = codeOf(col.splitters, v);
      col.codes[id] = code;
      if (col.counts[code]++ === 0) col.firstId[code] = id;
      col.lastId[code] = id;
      // Grown by appends past its sample (a new sample would split it); a bucket the sample itself
      // left big stays so (a new sample would not differ), its pages read more values or go to SQL.
      if (code % 2 === 1 && id > m.sampledTop && col.counts[code] > m.bucketLimit) m.stale = true;
    }
  });
  m.upto = hi;
}

/** Test knobs: smaller samples and fewer splitters make big buckets on a small case. */
export interface UniqueTuning {
  readonly sampleSize?: number;
  readonly maxSplitters?: number;
  readonly chunk?: number;
  readonly bucketLimit?: number;
  /** When a column gets an order (unique-order.ts). */
  readonly order?: OrderWant;
}

/**
 * One load step (sample piece or records), time-bounded by STEP_MS through the records per step;
 * true while more steps are needed. For the worker's idle loop and the bench.
 */
export function stepUniqueCodes(db: Database, tuning: UniqueTuning = {}): boolean {
  if (!enabled.has(db)) return false;
  const t0 = performance.now();
  let loaded = 0;
  const more = db.transaction(() => {
    const top = maxRecordId(db);
    let m = currentCopy(db, memories, top, (g) => emptyMemory(g, top, tuning));
    if (m !== null && m.stale) {
      m = emptyMemory(m.generation, top, tuning);
      memories.set(db, m);
    }
    if (m === null) return false;
    if (m.cols === null) {
      sampleStep(db, m, SAMPLE_STEP, tuning.maxSplitters ?? MAX_SPLITTERS);
      return true;
    }
    // Coded to the end: the spread columns' orders (unique-order.ts), then nothing.
    if (m.upto >= top) return stepBucketOrders(m.cols.values(), m.upto, tuning.order) || m.stale;
    const from = m.upto;
    load(db, m, from, Math.min(top, from + (tuning.chunk ?? m.chunk)));
    loaded = m.upto - from;
    // True at the end too: the next step builds the orders (unique-order.ts) or finds none wanted.
    return true;
  })();
  const m = memories.get(db);
  if (m !== undefined && tuning.chunk === undefined && loaded > 0) {
    const ms = Math.max(1, performance.now() - t0);
    m.chunk = smoothChunk(m.chunk, (loaded * STEP_MS) / ms, 50_000);
  }
  return more;
}

/** The copy's coverage now (tests and the bench check the loading with it). */
export function uniqueCodesUpto(db: Database): number {
  return memories.get(db)?.upto ?? 0;
}

/**
 * The bucket codes of `expr` covering every record now, or null (not kept, another generation,
 * still sampling, or more than `chunk` records behind). Call inside the caller's read transaction.
 */
export function uniqueCodes(db: Database, expr: string, chunk = UNIQUE_INLINE): UniqueColumn | null {
  const m = memories.get(db);
  if (m === undefined || m.cols === null || m.stale || m.generation !== recordsGeneration(db)) return null;
  const top = maxRecordId(db);
  if (top < m.upto || top - m.upto > chunk) return null;
  if (top > m.upto) load(db, m, m.upto, top);
  if (m.stale) return null;
  return m.cols.get(expr) ?? null;
}

/** Bytes the codes hold now, and the expressions kept (the bench prints them). */
export function uniqueCodesSize(db: Database): { readonly bytes: number; readonly kept: readonly string[] } {
  const cols = memories.get(db)?.cols ?? new Map<string, UniqueColumn>();
  let bytes = 0;
  for (const c of cols.values())
    bytes += c.codes.byteLength + c.counts.byteLength * 3 + (bucketOrder(c)?.ids.byteLength ?? 0);
  return { bytes, kept: [...cols.keys()] };
}

/** Forgets the copy (tests use it to compare both paths). */
export function dropUniqueCodes(db: Database): void {
  memories.delete(db);
}
