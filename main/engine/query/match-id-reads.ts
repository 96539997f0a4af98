/**
 * The id reads of match-ids.ts: a one-column query's ids as one JSON array, a union of id sets
 * deduplicated, every record's id from the facts mirror. Split out of match-ids.ts (over 300 lines).
 */
import type { Database } from 'better-sqlite3';
import type { SqlPart } from './filter';
import { factsMirror } from './facts-memory';
import { factsCoverage } from './record-facts';
import { isAscending, mergeDistinct, sortedDistinct, withMemory } from './id-lists';

function typed(ids: readonly number[]): Uint32Array | Float64Array {
  return ids.every((id) => id >= 0 && id <= 0xffffffff) ? Uint32Array.from(ids) : Float64Array.from(ids);
}

/**
 * The first `limit` values of a one-column query, read as one JSON array: for many ids about twice
 * as fast as a JS value per row (1M rows, under load: record_facts' 1M ids 177-324 ms against
 * 320-561 ms with pluck; `size>100000`'s 510k ids 84-90 ms against 157-160 ms).
 */
export function readIds(
  db: Database,
  sql: string,
  params: readonly unknown[],
  limit: number,
): Uint32Array | Float64Array {
  const json = db
    .prepare(`WITH s(v) AS (${sql} LIMIT ?) SELECT json_group_array(v) FROM s`)
    .pluck()
    .get(...params, limit) as string;
  return typed(JSON.parse(json) as number[]);
}

/**
 * The distinct ids of a UNION ALL of id sets, ascending (a match of two branches once), or null for
 * more than `max`. Sorted and deduplicated here: SQLite's `GROUP BY id` built a temp B-tree of the
 * 83k ids of `jane` at 1M rows (union 203-294 ms grouped, 145-244 ms deduplicated here, under load).
 * Each branch yields a record at most once, so more than branches x max rows means more than max ids
 * (a branch miscounted here can only make it give up early: null sends the callers to their own plans).
 */
export function distinctIds(db: Database, union: SqlPart, max: number): Uint32Array | Float64Array | null {
  const branches = union.sql.split(' UNION ALL ').length;
  const limit = branches * max + 1;
  const rows = readIds(db, union.sql, union.params, limit);
  if (rows.length >= limit) return null;
  const mem = union.mem ?? [];
  // The memory's ids come ascending (address-memory.ts): merged with the sorted SQL rows, not marked
  // and read back over the whole id range (`jane` at 5M rows: ~80 ms of CPU for a 5 MB byte map).
  if (mem.length > 0 && rows instanceof Uint32Array && mem.every(isAscending))
    return mem.reduce<Uint32Array>((acc, m) => mergeDistinct(acc, m), sortedDistinct(rows) as Uint32Array);
  return sortedDistinct(withMemory(rows, mem));
}

/** The ids matching `where` (its id set or its own plan), ascending; null for more than `max`. */
export function idsOf(db: Database, where: SqlPart, max: number): Uint32Array | Float64Array | null {
  if (where.ids !== undefined) return distinctIds(db, where.ids, max);
  // Every record: from the reader's mirror of record_facts when it is complete, else read from
  // record_facts (17 bytes a record, holding every id up to its coverage) rather than the ~900-byte
  // table rows (1M rows: ~0.35 s for the table's rowids).
  const coverage = where.sql === '1' ? factsCoverage(db) : 0;
  if (coverage > 0) {
    const every = db.transaction(() => everyId(db, max))();
    if (every !== undefined) return every;
  }
  const every: SqlPart | null =
    coverage > 0
      ? {
          sql: 'SELECT id FROM record_facts WHERE id <= ? UNION ALL SELECT id FROM records WHERE id > ?',
          params: [coverage, coverage],
        }
      : null;
  const { sql, params } = every ?? { sql: `SELECT id FROM records WHERE ${where.sql}`, params: where.params };
  const ids = readIds(db, sql, params, max + 1);
  if (ids.length > max) return null;
  return sortedDistinct(ids);
}

/**
 * Every record's id from the complete mirror (an id up to the coverage has a combo there iff it has
 * a row in record_facts) plus the records above the coverage; undefined without a complete mirror.
 * A typed pass of a few ms where reading record_facts' 1M ids took ~250 ms (`-jane` at 1M rows).
 */
function everyId(db: Database, max: number): Uint32Array | Float64Array | null | undefined {
  const coverage = factsCoverage(db);
  const mirror = coverage > 0 ? factsMirror(db, coverage) : null;
  if (mirror === null) return undefined;
  const above = readIds(db, 'SELECT id FROM records WHERE id > ? ORDER BY id', [coverage], max + 1);
  if (coverage > 0xffffffff || above.some((id) => id > 0xffffffff)) return undefined;
  const ids = new Uint32Array(Math.min(coverage, mirror.cid.length) + above.length);
  let n = 0;
  const { cid } = mirror;
  for (let id = 1; id <= coverage && id < cid.length; id++) if (cid[id] !== 0) ids[n++] = id;
  for (let i = 0; i < above.length; i++) ids[n++] = above[i];
  return n > max ? null : ids.subarray(0, n);
}
