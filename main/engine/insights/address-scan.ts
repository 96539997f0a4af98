/**
 * The distinct lower-cased addresses at some recipient domains, for the local-part typo scan, read
 * the cheapest way for the share of the records those domains hold:
 * - a few per cent: through the domain index, one table read per record;
 * - up to most of the case: one pass over the covering records_to index, the domain tested in SQLite
 *   (a LIKE on the address's end: a superset, the caller compares the domain exactly), so only those
 *   addresses reach JavaScript (one of ten domains at 1M rows: 87k instead of 877k rows);
 * - else every distinct address from that index.
 */
import type { Database } from 'better-sqlite3';
import { DOMAIN_INDEX, TO_INDEX } from '../query/grid-partial';
import { partialIndexUpto, perSide, unionOfSides } from '../query/partial-index';

const DOMAIN_INDEX_SHARE = 0.02;
const FILTERED_SCAN_SHARE = 0.6;

export function addressesAt(
  db: Database,
  domains: readonly string[],
  share: number,
): Iterable<string | null> {
  const list = JSON.stringify(domains);
  // Both indexes are partial (grid-partial.ts): the part up to the bound read through the index, the
  // delta above it by rowid; the caller takes the addresses as a set, so one may come from both.
  if (share < DOMAIN_INDEX_SHARE) {
    const upto = partialIndexUpto(db, DOMAIN_INDEX.name);
    const sql = unionOfSides(
      upto,
      (side) =>
        `SELECT DISTINCT lower(message_to) FROM records WHERE ${side} AND lower(message_to_domain) IN (SELECT value FROM json_each(?))`,
    );
    return db
      .prepare(sql)
      .pluck()
      .iterate(...perSide(upto, [list])) as Iterable<string | null>;
  }
  const upto = partialIndexUpto(db, TO_INDEX.name);
  if (share < FILTERED_SCAN_SHARE) {
    // No INDEXED BY: it fails outright when the query does not imply a partial index's WHERE; the
    // bound term lets the planner take the covering index on its own.
    const sql = unionOfSides(
      upto,
      (side) => `SELECT DISTINCT lower(message_to) FROM records
         WHERE ${side} AND EXISTS (SELECT 1 FROM json_each(?) WHERE lower(message_to) LIKE '%@' || value)`,
    );
    return db
      .prepare(sql)
      .pluck()
      .iterate(...perSide(upto, [list])) as Iterable<string | null>;
  }
  const sql = unionOfSides(upto, (side) => `SELECT DISTINCT lower(message_to) FROM records WHERE ${side}`);
  return db.prepare(sql).pluck().iterate() as Iterable<string | null>;
}
