/**
 * The hard-bounced or invalid recipients the typo list looks at, and delivered counts from the
 * records. With complete address tables and no filter, only the bounced addresses that can get a
 * hint are read: those at a domain with a correction and those with a typo pair (at 5M rows reading
 * and splitting all 464k of them was ~260 ms of the list's ~330 ms, under load).
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { bouncedAt, bouncedCounter, bouncedDomains, bouncedTotal } from './address-table';
import { insightsWhere } from './where';
import { splitPredicate, TO_INDEX } from '../query/grid-partial';

export const BOUNCE_DETAILS = ['HARD_BOUNCE', 'INVALID_ADDRESS'] as const;

export interface Bounced {
  /** Lower-cased addresses (null: records without one). */
  readonly addresses: readonly (string | null)[];
  /** Hard-bounced or invalid records of addresses[i] under the filter. */
  readonly count: (i: number) => number;
  /** Bounced addresses under the filter in all (`addresses` may leave out those without a hint). */
  readonly checked: number;
}

/** What the complete address tables tell about which bounced addresses can get a hint. */
export interface HintSources {
  /** True when a domain has a correction target (a domain hint for each address there). */
  readonly corrected: (domain: string) => boolean;
  /** The bounced addresses with a delivered one a letter slip away (the only local-part hints). */
  readonly paired: Iterable<string>;
}

/**
 * From the address tables when `tables` is given (complete) and the filter is empty, else grouped
 * from the records under the filter.
 */
export function bouncedUnder(db: Database, filter: FilterModel, tables: HintSources | null): Bounced {
  const where = insightsWhere(db, filter);
  if (tables && where.sql === '1') {
    const rows: [string, number][] = [];
    const seen = new Set<string>();
    const at = bouncedAt(db);
    for (const d of bouncedDomains(db))
      if (tables.corrected(d))
        for (const r of at(d)) {
          rows.push(r);
          seen.add(r[0]);
        }
    const count = bouncedCounter(db);
    for (const a of tables.paired) if (!seen.has(a)) rows.push([a, count(a)]);
    return { addresses: rows.map((r) => r[0]), count: (i) => rows[i]?.[1] ?? 0, checked: bouncedTotal(db) };
  }
  const rows = db
    .prepare(
      `SELECT lower(message_to), count(*) FROM records
       WHERE status_details IN (${BOUNCE_DETAILS.map(() => '?').join(', ')}) AND (${where.sql}) GROUP BY 1`,
    )
    .raw()
    .all(...BOUNCE_DETAILS, ...where.params) as [string | null, number][];
  return { addresses: rows.map((r) => r[0]), count: (i) => rows[i]?.[1] ?? 0, checked: rows.length };
}

/** Records delivered to a lower-cased address. */
export function recordsDeliveredCounter(db: Database): (address: string) => number {
  // records_to is partial (grid-partial.ts): the predicate split at its bound.
  const isTo = splitPredicate(db, TO_INDEX, 'lower(message_to) = ?');
  const get = db
    .prepare(`SELECT count(*) FROM records WHERE ${isTo.sql} AND +substatus = 'DELIVERED'`)
    .pluck();
  return (address) => get.get(...isTo.bind(address)) as number;
}
