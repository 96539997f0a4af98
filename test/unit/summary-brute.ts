/** Brute-force counts, histograms and facets over `records` (no index, no summary) for exactness tests. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import type { ColumnId } from '../../common/columns';
import type { Facets, FilterModel, Histogram, SortDir } from '../../common/contract';
import { NONE } from '../../main/engine/query/facets';
import { compileWhere } from '../../main/engine/query/filter';
import { chooseBucketMs } from '../../main/engine/query/histogram';
import { planBuckets } from '../../main/engine/query/histogram-zone';
import { resolveSort } from '../../main/engine/query/sql';

/** The filter's record ids ascending, by a table scan. */
export function bruteIds(db: Database, filter: FilterModel): number[] {
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY id`)
    .pluck()
    .all(...where.params) as number[];
}

/** The filter's record ids in the order of `column` `dir` (the engine's sort keys, ties by id), by a table scan. */
export function bruteSortedIds(db: Database, filter: FilterModel, column: ColumnId, dir: SortDir): number[] {
  const where = compileWhere(filter);
  const order = resolveSort([{ column, dir }])
    .map((k) => `${k.expr} ${k.dir === 'asc' ? 'ASC' : 'DESC'}`)
    .join(', ');
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${order}`)
    .pluck()
    .all(...where.params) as number[];
}

export function bruteCount(db: Database, filter: FilterModel): number {
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT count(*) FROM records NOT INDEXED WHERE ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}

/**
 * Each matching record counted into the bucket whose [start, end) holds it. The bucket edges in the
 * filter's zone come from planBuckets (tested on its own against local midnights and DST days in
 * histogram-zone tests); the counting here is independent of the engine's units and summaries.
 */
export function bruteHistogram(db: Database, filter: FilterModel, buckets: number): Histogram {
  const where = compileWhere(filter);
  const rows = db
    .prepare(
      `SELECT creation_time_ms AS t, substatus AS s FROM records NOT INDEXED WHERE ${where.sql} AND creation_time_ms IS NOT NULL`,
    )
    .all(...where.params) as { t: number; s: string | null }[];
  if (rows.length === 0) return { bucketMs: 60_000, from: null, to: null, buckets: [] };
  const lo = Math.min(...rows.map((x) => x.t));
  const hi = Math.max(...rows.map((x) => x.t));
  const plan = planBuckets(lo, hi, chooseBucketMs(hi - lo + 1, buckets), filter.timeZone ?? 'UTC');
  const out = plan.starts.slice(0, -1).map((start, k) => ({
    start,
    end: plan.starts[k + 1],
    delivered: 0,
    bounced: 0,
    dropped: 0,
    other: 0,
  }));
  for (const x of rows) {
    const b = out.find((o) => o.start <= x.t && x.t < o.end);
    if (!b) continue;
    if (x.s === 'DELIVERED') b.delivered++;
    else if (x.s === 'BOUNCED') b.bounced++;
    else if (x.s === 'DROPPED') b.dropped++;
    else b.other++;
  }
  return { bucketMs: plan.bucketMs, from: out[0].start, to: out[out.length - 1].end, buckets: out };
}

/** Every facet bucket as a brute-force pass over the matching records counts it. */
export function bruteFacets(db: Database, filter: FilterModel): Record<keyof Facets, [string, number][]> {
  const where = compileWhere(filter);
  const rows = db
    .prepare(
      `SELECT status, substatus, status_details, smtp_code, processing_region, entry_interface, message_to_domain FROM records NOT INDEXED WHERE ${where.sql}`,
    )
    .raw()
    .all(...where.params) as (string | number | null)[][];
  const label = (v: string | number | null | undefined): string =>
    v === null || v === undefined || v === '' ? NONE : String(v);
  const names: (keyof Facets)[] = [
    'status',
    'substatus',
    'status_details',
    'smtp_class',
    'region',
    'interface',
    'to_domain',
  ];
  const out = {} as Record<keyof Facets, [string, number][]>;
  names.forEach((name, i) => {
    const m = new Map<string, number>();
    for (const r of rows) {
      const v = r[i];
      const key =
        name === 'smtp_class'
          ? typeof v === 'number'
            ? `${Math.floor(v / 100)}xx`
            : NONE
          : name === 'to_domain'
            ? label(typeof v === 'string' ? v.toLowerCase() : v)
            : label(v);
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    out[name] = [...m].sort();
  });
  return out;
}

export function facetsOf(facets: Facets): Record<keyof Facets, [string, number][]> {
  const out = {} as Record<keyof Facets, [string, number][]>;
  for (const name of Object.keys(facets) as (keyof Facets)[])
    out[name] = facets[name]
      .map((b): [string, number] => [name === 'to_domain' ? b.value.toLowerCase() : b.value, b.count])
      .sort();
  return out;
}

/** Up to three terms of `terms`, each negated one time in four; a whole-hour time bound 15 % of the time. */
export function randomSummaryFilter(terms: readonly string[], r: () => number): FilterModel {
  const n = Math.floor(r() * 4);
  const picked: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = terms[Math.floor(r() * terms.length)] ?? '';
    picked.push(r() < 0.25 ? `-${t}` : t);
  }
  const filter: FilterModel = picked.length > 0 ? { q: picked.join(' ') } : {};
  return r() < 0.15 ? { ...filter, timeFrom: Date.UTC(2026, 9, 12, 5) } : filter;
}

/**
 * A case's first export (6000 generated rows, `seed`) and a later one of 3000 whose hours overlap it
 * and run past it, written into `dir`: the append the summary and rollup exactness tests import.
 */
export function writeCaseExports(dir: string, seed: number): [string, string] {
  const a = path.join(dir, 'a.csv');
  const b = path.join(dir, 'b.csv');
  writeFileSync(a, toCsv(generateRows({ rows: 6000, seed })));
  writeFileSync(
    b,
    toCsv(generateRows({ rows: 3000, seed: 8, startMs: Date.UTC(2026, 9, 20), spanDays: 20 })),
  );
  return [a, b];
}

/**
 * Leaves record_facts as its writer does between two chunks: rows up to `offset` records past the
 * first, none above, and its coverage keys saying so. Returns the new coverage.
 */
export function leaveFactsPending(db: Database, offset: number): number {
  const upto = db.prepare('SELECT min(id) + ? FROM records').pluck().get(offset) as number;
  db.prepare('DELETE FROM record_facts WHERE id > ?').run(upto);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'facts_upto'").run(String(upto));
  db.prepare(
    "UPDATE meta SET value = (SELECT row_key FROM records WHERE id <= ? ORDER BY id DESC LIMIT 1) WHERE key = 'facts_mark'",
  ).run(upto);
  return upto;
}
