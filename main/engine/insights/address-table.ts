/**
 * What the typo list needs beyond the records, kept after each import over the new id range (one
 * call from rollup.ts, i.e. from the end of the search-index phase), so that the list reads about one
 * row per bounced address instead of every address of the case (1M rows: 877k distinct addresses
 * read from records_to and probed against the bounced ones, 1.9 s on a quiet machine):
 * - insights_bounced: lower(message_to) -> records HARD_BOUNCE or INVALID_ADDRESS (others absent);
 * - insights_typo_pair: (bounced address, delivered address) at the same domain whose local parts are
 *   one letter slip apart (edits.ts localSlip): every local-part candidate the list may consider.
 *   Pairs only ever appear (no address is un-delivered or un-bounced until records are deleted, which
 *   empties the coverage), so an import only adds the pairs its records make possible.
 * Delivered counts are not kept: the list needs them for a few addresses and reads them from the
 * records (a table of them cost 2.5 s CPU per 1M records to build and 26 MB, measured under load).
 * Same coverage rules as the rollup: meta insights_addr_upto / _mark, emptied by trigger whenever the
 * summaries are (a delete of records). Created here, not by a migration (see rollup.ts).
 */
import type { Database } from 'better-sqlite3';
import {
  coveredUpto,
  metaSet,
  schemaHas,
  setCoveredUpto,
  staleWithSummaryTriggers,
  type CoverageKeys,
} from '../db/meta';
import { localSlip, splitAddress } from './edits';
import { SlipIndex } from './slip-index';

/** Coverage keys: records with id <= upto are in, mark tells whether they were cleared since. */
const COVERAGE: CoverageKeys = { upto: 'insights_addr_upto', mark: 'insights_addr_mark' };
const BOUNCED = "status_details IN ('HARD_BOUNCE', 'INVALID_ADDRESS')";
/**
 * The part of lower(message_to) after its last '@' (SQLite has no last-index function: rtrim strips
 * every trailing character that is not an '@'); the whole address when it has none.
 */
const DOMAIN_OF = (a: string): string => `substr(${a}, length(rtrim(${a}, replace(${a}, '@', ''))) + 1)`;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS insights_bounced (
    domain TEXT NOT NULL, address TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (domain, address)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS insights_typo_pair (
    address TEXT NOT NULL, candidate TEXT NOT NULL, PRIMARY KEY (address, candidate)
  ) WITHOUT ROWID;
  ${staleWithSummaryTriggers('insights_addr', COVERAGE.upto)}`;

function hasTables(db: Database): boolean {
  return schemaHas(db, 'insights_bounced', 'insights_typo_pair');
}

/** Records with id <= the returned value are in the address tables (0: none, stale, or no tables). */
export function addressCoverage(db: Database): number {
  if (!hasTables(db)) return 0;
  return coveredUpto(db, COVERAGE);
}

/** True when the tables hold every record of the case (the typo list reads them only then). */
export function addressTablesComplete(db: Database): boolean {
  const coverage = addressCoverage(db);
  const last = db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number;
  return coverage > 0 && coverage === last;
}

/**
 * Adds the records above insights_addr_upto up to id `until` (default: all; all from the first when
 * the tables are stale) in one transaction: the bounce counts, then the new typo pairs.
 */
export function updateAddressTables(db: Database, signal?: AbortSignal, until?: number): void {
  db.exec(SCHEMA);
  const upto = addressCoverage(db);
  if (upto === 0)
    db.transaction(() => {
      db.exec('DELETE FROM insights_bounced; DELETE FROM insights_typo_pair');
      metaSet(db, COVERAGE.upto, '0');
    })();
  const last = db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number;
  const maxId = Math.min(last, until ?? last);
  if (upto >= maxId || signal?.aborted) return;
  const range = 'FROM records NOT INDEXED WHERE id > ? AND id <= ? AND message_to IS NOT NULL';
  db.transaction(() => {
    // An address bounced for the first time may pair with any address delivered to in the case: all
    // deliveries probe all bounced addresses. Without one, only the new deliveries can add pairs.
    const newBounced =
      upto === 0 ||
      db
        .prepare(
          `SELECT EXISTS (SELECT 1 ${range} AND ${BOUNCED}
             AND NOT EXISTS (SELECT 1 FROM insights_bounced b
               WHERE b.domain = ${DOMAIN_OF('lower(message_to)')} AND b.address = lower(message_to)))`,
        )
        .pluck()
        .get(upto, maxId) === 1;
    db.prepare(
      `INSERT INTO insights_bounced SELECT ${DOMAIN_OF('a')}, a, n
       FROM (SELECT lower(message_to) AS a, count(*) AS n ${range} AND ${BOUNCED} GROUP BY 1) WHERE 1
       ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    ).run(upto, maxId);
    addPairs(db, newBounced ? 0 : upto, maxId);
    setCoveredUpto(db, COVERAGE, maxId);
  })();
}

/**
 * Pairs every bounced address with the addresses delivered to in ids (from, to] one letter slip
 * apart at the same domain: the bounced ones are filed in a SlipIndex, the delivered records probe
 * it (sharing a one-letter-deletion key is necessary, localSlip decides). Records rather than
 * distinct addresses: a DISTINCT pass sorts them all, dearer than probing an address twice.
 */
function addPairs(db: Database, from: number, to: number): void {
  const bounced = db.prepare('SELECT address FROM insights_bounced').pluck().all() as string[];
  if (bounced.length === 0) return;
  const index = new SlipIndex(bounced);
  const found: [string, string][] = [];
  const delivered = db
    .prepare(
      `SELECT lower(message_to) FROM records NOT INDEXED
       WHERE id > ? AND id <= ? AND message_to IS NOT NULL AND substatus = 'DELIVERED'`,
    )
    .pluck()
    .iterate(from, to) as Iterable<string>;
  for (const cand of delivered)
    index.probe(cand, (e) => {
      const a = bounced[e];
      if (a === undefined || a === cand) return;
      const p = splitAddress(a);
      const c = splitAddress(cand);
      if (p && c && p.domain === c.domain && localSlip(p.local, c.local)) found.push([a, cand]);
    });
  const insert = db.prepare('INSERT OR IGNORE INTO insights_typo_pair (address, candidate) VALUES (?, ?)');
  for (const [a, cand] of found) insert.run(a, cand);
}

/** Bounced (hard or invalid) addresses in all, from insights_bounced. */
export function bouncedTotal(db: Database): number {
  return db.prepare('SELECT count(*) FROM insights_bounced').pluck().get() as number;
}

/** The domains of the bounced addresses (the part after the last '@'), from insights_bounced. */
export function bouncedDomains(db: Database): string[] {
  return db.prepare('SELECT DISTINCT domain FROM insights_bounced').pluck().all() as string[];
}

/** The bounced addresses at one domain with their records, from insights_bounced. */
export function bouncedAt(db: Database): (domain: string) => [string, number][] {
  const get = db.prepare('SELECT address, n FROM insights_bounced WHERE domain = ?').raw();
  return (domain) => get.all(domain) as [string, number][];
}

/** Hard-bounced or invalid records per address (0 when none), from insights_bounced. */
export function bouncedCounter(db: Database): (address: string) => number {
  const get = db.prepare('SELECT n FROM insights_bounced WHERE domain = ? AND address = ?').pluck();
  return (address) => {
    const domain = address.slice(address.lastIndexOf('@') + 1);
    return (get.get(domain, address) as number | undefined) ?? 0;
  };
}

/** Bounced address -> the delivered addresses one letter slip away, from insights_typo_pair. */
export function typoPairs(db: Database): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const rows = db.prepare('SELECT address, candidate FROM insights_typo_pair').raw().all() as string[][];
  for (const [a, cand] of rows) {
    if (a === undefined || cand === undefined) continue;
    const list = out.get(a);
    if (list) list.push(cand);
    else out.set(a, [cand]);
  }
  return out;
}
