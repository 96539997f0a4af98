/**
 * A narrow copy of what count, facets and histogram read per record: `record_facts` (id, time, combo
 * id; ~17 bytes a record) and `fact_combos` (each distinct status x substatus x details x SMTP code x
 * region x interface x recipient domain once: 1200 rows for the bench's 1M-row month).
 *
 * Why: a filter no summary answers (a free word, an address, an enhanced SMTP code) has its matches
 * as an id set (match-ids.ts); its histogram and facets then looked every id up in `records`, ~900
 * bytes a row (`jane` at 1M rows: 83k lookups, 0.45 s for the histogram's two columns, 0.9 s for the
 * facets' seven, measured under load). The same lookups in this table read 17 MB instead of the
 * table's 360 MB, and one grouped pass gives the facets and the histogram's time span together.
 *
 * Kept like the summaries (summary.ts): filled by the writer after an import for the records above
 * `facts_upto`, in id chunks; records above it (an import whose update is pending) are read from
 * `records` by id, so answers stay exact at every moment. Created on first use (no migration): a
 * workspace without it is filled from the first record on its next import.
 */
import type { Database, Statement } from 'better-sqlite3';
import { coverInChunks, coveredUpto, metaSet, schemaHas, type CoverageKeys } from '../db/meta';
import { COMBO_KEYS } from './combo-keys';
import { boundTerm, FACETS_INDEX, facetsIndexUpto } from './facets-index';
import { factsMirror } from './facts-memory';
import { mirrorComboCounts } from './facts-counts';
import { bucketRows, mirrorFactRows, readFactRows, type FactRows } from './facts-read';
import { outcomeCode } from './facts-hours';
import { bumpRecordsGeneration } from './records-generation';
import type { Combo } from './facets-plan';
import type { BucketCounts } from './histogram-summary';
import { idsPart, type MatchIds } from './match-ids';
import { exceptCombos } from './words-except';

const FACTS = 'record_facts';
const COMBOS = 'fact_combos';
/** Coverage keys: records with id <= upto are in, mark tells whether they were cleared since. */
const COVERAGE: CoverageKeys = { upto: 'facts_upto', mark: 'facts_mark' };
const CHUNK_IDS = 250_000;

/** fact_combos' columns: a facet combination (combo-keys.ts), NULL stored as its sentinel. */
const NAMES = COMBO_KEYS.map((k) => k.col).join(', ');
const stored = (alias: string): string =>
  COMBO_KEYS.map((k) => `ifnull(${alias}${k.col}, ${k.none})`).join(', ');
/** The substatus' place in a Combo. */
const SUBSTATUS = COMBO_KEYS.findIndex((k) => k.col === 'substatus');
const restored = COMBO_KEYS.map((k) => `nullif(c.${k.col}, ${k.none})`).join(', ');

const CREATE = `
  CREATE TABLE IF NOT EXISTS ${COMBOS} (
    cid INTEGER PRIMARY KEY,
    ${COMBO_KEYS.map((k) => `${k.col} ${k.col === 'smtp_code' ? 'INTEGER' : 'TEXT'} NOT NULL`).join(', ')},
    UNIQUE (${NAMES})
  );
  CREATE TABLE IF NOT EXISTS ${FACTS} (id INTEGER PRIMARY KEY, t INTEGER, cid INTEGER NOT NULL);`;

function hasFacts(db: Database): boolean {
  return schemaHas(db, FACTS, COMBOS);
}

/** Records with id <= the returned value have their row in record_facts (0: none, or no table). */
export function factsCoverage(db: Database): number {
  if (!hasFacts(db)) return 0;
  return coveredUpto(db, COVERAGE);
}

/** Empties the tables (records were deleted); the next import fills them again from the start. */
export function invalidateRecordFacts(db: Database): void {
  if (!hasFacts(db)) return;
  db.exec(`DELETE FROM ${FACTS}; DELETE FROM ${COMBOS}`);
  // Combo ids are handed out again from 1: a reader's mirror of the old ones must go (facts-memory.ts).
  bumpRecordsGeneration(db);
  db.prepare('DELETE FROM meta WHERE key IN (?, ?)').run(COVERAGE.upto, COVERAGE.mark);
}

/** Adds the records above facts_upto (creating the tables first), one transaction per id chunk. */
export function updateRecordFacts(db: Database, signal?: AbortSignal): void {
  db.exec(CREATE);
  const upto = factsCoverage(db);
  if (upto === 0)
    db.transaction(() => {
      invalidateRecordFacts(db);
      metaSet(db, COVERAGE.upto, '0');
    })();
  const maxId = db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number;
  const combosFrom = (hint: string, bound = '1'): Statement =>
    db.prepare(
      `INSERT OR IGNORE INTO ${COMBOS} (${NAMES}) SELECT DISTINCT ${stored('')} FROM records ${hint} WHERE id > ? AND id <= ? AND ${bound}`,
    );
  // A large share of the table: read in the order of the covering facet index, whose key is the
  // combination (no sort; 1M rows: 0.2 s instead of 0.6 s), up to the index's bound (facets-index.ts).
  // The rest (the delta above the bound, or a small share of the table): its id range, sorted.
  const byIndex = (bound: number): Statement => combosFrom(`INDEXED BY ${FACETS_INDEX}`, boundTerm(bound));
  const byRange = combosFrom('NOT INDEXED');
  // One seek in the combos' unique index per record.
  const addFacts = db.prepare(
    `INSERT INTO ${FACTS} (id, t, cid) SELECT r.id, r.creation_time_ms, c.cid FROM records r
     JOIN ${COMBOS} c ON (${COMBO_KEYS.map((k) => `c.${k.col}`).join(', ')}) = (${stored('r.')})
     WHERE r.id > ? AND r.id <= ?`,
  );
  // Ids up to which fact_combos already holds the combinations (added before the facts of a chunk).
  let combosUpto = upto;
  coverInChunks(
    db,
    COVERAGE,
    { from: upto, until: maxId, chunk: CHUNK_IDS },
    (from, to) => {
      if (to > combosUpto) {
        // Read under the write lock, per chunk: an import's load may have dropped the index since.
        const bound = (maxId - combosUpto) * 5 > maxId ? facetsIndexUpto(db) : null;
        // Up to the bound in one pass of the index, not one pass per chunk: each pass reads the whole
        // index. 5M-row case, 20 chunks by id range (sorted) 6.9 s of CPU, one pass 2.1 s (under load).
        // Combinations of records a cancel leaves uncovered stay in fact_combos, a dictionary: every
        // count comes from record_facts' rows.
        const top = bound === null ? combosUpto : Math.min(bound, maxId);
        if (bound !== null && top > combosUpto) {
          byIndex(bound).run(combosUpto, top);
          combosUpto = top;
        }
        // The ids above the bound by their range: the index holds no entry for them, and a record
        // whose combination is missing gets no row from addFacts' join. After an import's removal
        // (record_facts refilled from id 0, the index left with a delta within its share) reading
        // them through the index left them out of record_facts and so of the summaries (16e).
        if (to > combosUpto) {
          byRange.run(combosUpto, to);
          combosUpto = to;
        }
      }
      addFacts.run(from, to);
    },
    signal,
  );
}

/**
 * The set's ids above the coverage. Written as `id > ? AND id IN (set)`, SQLite looked every id of the
 * set up in records (83k lookups for `jane`) before comparing it.
 */
const PENDING_IDS = 'id IN (SELECT value FROM json_each(?) WHERE value > ?)';

/**
 * The set's records in record_facts, one rowid seek per id in the list's (ascending) order. Written as
 * `id IN (SELECT value FROM json_each(?))`, SQLite first copied the list into a temporary B-tree and
 * then walked it: `jane` at 5M rows (416k ids) 372-447 ms against 206-257 ms joined (under load).
 * Only for a strictly ascending list: the join would count a repeated id twice.
 */
const ID_JOIN = `json_each(?) j JOIN ${FACTS} f ON f.id = j.value`;

/** Strictly ascending (so distinct): the lists match-ids.ts builds are; anything else takes `IN`. */
function distinctAscending(list: ArrayLike<number>): boolean {
  for (let i = 1; i < list.length; i++) if (list[i] <= list[i - 1]) return false;
  return true;
}

function hasPending(db: Database, coverage: number): boolean {
  return (db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number) > coverage;
}

/** Facet combinations of an id set, with the time span of its records (null: none has a time). */
export interface IdSetCombos {
  readonly combos: Combo[];
  readonly lo: number | null;
  readonly hi: number | null;
  /** Each record's time and outcome, from the same pass (facts-read.ts); unset when records above the coverage were read too. */
  readonly rows?: FactRows;
  /** The combos' counts alone ('counts' from a mirror without times): lo, hi and the combos' spans are not the set's. */
  readonly countsOnly?: true;
}

/** Combos and span per id set: the facets and the histogram of one search share one pass. */
const combosOf = new WeakMap<MatchIds, IdSetCombos>();

/**
 * The id set's facet combinations and time span; null when record_facts covers no record yet.
 * `need` 'counts' (the facets): a mirror restored without times may answer, with the combos' counts
 * alone (countsOnly; not kept for the histogram, which asks for 'times').
 */
export function idSetCombos(
  db: Database,
  ids: MatchIds,
  need: 'times' | 'counts' = 'times',
): IdSetCombos | null {
  const known = combosOf.get(ids);
  if (known !== undefined) return known;
  // One read transaction: the coverage and both reads see the same commit. Every record less kept
  // words' sets (words-except.ts) from both their combos, when both have hours.
  const out = db.transaction(
    () => exceptCombos(ids, (s) => idSetCombos(db, s, need)) ?? readCombos(db, ids, need),
  )();
  if (out !== null && out.countsOnly !== true) combosOf.set(ids, out);
  return out;
}

/** Every combo's outcome code by combo id (a few thousand combos), for the mirror's pass. */
function outcomeCodes(db: Database): Uint8Array {
  const rows = db.prepare(`SELECT cid, substatus FROM ${COMBOS}`).raw().all() as [number, unknown][];
  const out = new Uint8Array(rows.reduce((m, [cid]) => Math.max(m, cid), 0) + 1);
  for (const [cid, substatus] of rows) out[cid] = outcomeCode(substatus);
  return out;
}

function readCombos(db: Database, ids: MatchIds, need: 'times' | 'counts'): IdSetCombos | null {
  const coverage = factsCoverage(db);
  if (coverage === 0) return null;
  type Row = [...Combo, number | null, number | null];
  // The combos' columns (and each combo's substatus, for the histogram) for the combos found.
  let keys = new Map<number, Combo>();
  const substatusOf = (cids: readonly number[]): Map<number, string | null> => {
    const rows = db
      .prepare(
        `SELECT c.cid, ${restored}, 0 FROM ${COMBOS} c WHERE c.cid IN (SELECT value FROM json_each(?))`,
      )
      .raw()
      .all(JSON.stringify(cids)) as [number, ...Combo][];
    keys = new Map(rows.map(([cid, ...k]) => [cid, k]));
    return new Map(rows.map(([cid, ...k]) => [cid, k[SUBSTATUS] as string | null]));
  };
  // The aggregate reader's mirror of record_facts when it is complete (facts-memory.ts), else a probe per id.
  const mirror = factsMirror(db, coverage);
  const counted =
    need === 'counts' && mirror?.t === null ? mirrorComboCounts(mirror.cid, ids.list, coverage) : null;
  if (counted !== null) substatusOf(counted.map((s) => s.cid));
  const read =
    (counted !== null ? { spans: counted, rows: undefined } : null) ??
    (mirror !== null ? mirrorFactRows(mirror, ids.list, coverage, substatusOf, outcomeCodes(db)) : null) ??
    (distinctAscending(ids.list)
      ? readFactRows(db, ID_JOIN, '1', ids.json, substatusOf)
      : readFactRows(db, FACTS, idsPart(ids).sql, ids.json, substatusOf));
  const covered = read.spans.map((s) => {
    const k = keys.get(s.cid);
    if (k === undefined) throw new Error(`record_facts names combo ${s.cid}, which fact_combos lacks`);
    return [...k.slice(0, COMBO_KEYS.length), s.n, s.lo, s.hi] as Row;
  });
  // Records above the coverage (an import whose update is pending): from records, by id.
  const pending = !hasPending(db, coverage)
    ? []
    : (db
        .prepare(
          `SELECT ${NAMES}, count(*), min(creation_time_ms), max(creation_time_ms) FROM records
           WHERE ${PENDING_IDS} GROUP BY 1, 2, 3, 4, 5, 6, 7`,
        )
        .raw()
        .all(ids.json, coverage) as Row[]);
  let lo: number | null = null;
  let hi: number | null = null;
  const combos: Combo[] = [];
  for (const r of [...covered, ...pending]) {
    const [rlo, rhi] = [r[8], r[9]];
    if (rlo !== null && (lo === null || rlo < lo)) lo = rlo;
    if (rhi !== null && (hi === null || rhi > hi)) hi = rhi;
    combos.push(r.slice(0, 8) as Combo);
  }
  if (counted !== null) return { combos, lo: null, hi: null, countsOnly: true };
  // The per-record rows hold the covered records only: with pending ones, buckets take readBuckets.
  return pending.length === 0 && read.rows !== undefined
    ? { combos, lo, hi, rows: read.rows }
    : { combos, lo, hi };
}

const BUCKET_COLUMNS = (substatus: string): string =>
  `count(CASE ${substatus} WHEN 'DELIVERED' THEN 1 END) AS delivered,
   count(CASE ${substatus} WHEN 'BOUNCED' THEN 1 END) AS bounced,
   count(CASE ${substatus} WHEN 'DROPPED' THEN 1 END) AS dropped, count(*) AS n`;

/** Counts per time unit (`unitFrom + b * unitMs`) and outcome of an id set, for histogram-zone.ts. */
export function idSetBuckets(db: Database, ids: MatchIds, unitFrom: number, unitMs: number): BucketCounts[] {
  const rows = combosOf.get(ids)?.rows;
  if (rows !== undefined) return bucketRows(rows, unitFrom, unitMs);
  return db.transaction(() => readBuckets(db, ids, unitFrom, unitMs))();
}

function readBuckets(db: Database, ids: MatchIds, unitFrom: number, unitMs: number): BucketCounts[] {
  const coverage = factsCoverage(db);
  const set = idsPart(ids).sql;
  const covered = db
    .prepare(
      `SELECT CAST((f.t - ?) / ? AS INTEGER) AS b, ${BUCKET_COLUMNS('c.substatus')}
       FROM ${FACTS} f JOIN ${COMBOS} c ON c.cid = f.cid WHERE f.${set} AND f.t IS NOT NULL GROUP BY 1`,
    )
    .all(unitFrom, unitMs, ids.json) as BucketCounts[];
  const pending = !hasPending(db, coverage)
    ? []
    : (db
        .prepare(
          `SELECT CAST((creation_time_ms - ?) / ? AS INTEGER) AS b, ${BUCKET_COLUMNS('substatus')}
           FROM records WHERE ${PENDING_IDS} AND creation_time_ms IS NOT NULL GROUP BY 1`,
        )
        .all(unitFrom, unitMs, ids.json, coverage) as BucketCounts[]);
  return [...covered, ...pending];
}
