/**
 * Substring search without a trigram index over a million rows: the distinct values of each
 * searchable text column go into `search_vocab`, and an FTS5 trigram index covers those values only.
 * A substring term then resolves to the (few) matching values, and records are found through the
 * ordinary B-tree indexes on those columns. Maintained incrementally: each run adds the values of
 * records above `search_index_upto`, in id chunks (one transaction each, so readers are never blocked
 * for long and a cancelled run resumes where it stopped).
 */
import type { Database } from 'better-sqlite3';
import { withParallelSort } from '../db/index-build';
import { coveredUpto, metaGet, metaSet, setCoveredUpto, type CoverageKeys } from '../db/meta';
import { SEARCH_INDEX_READY_KEY } from '../workspace';
import { FACETS_INDEX, updateFacetsIndex } from './facets-index';
import { DOMAIN_INDEX, GRID_PARTIAL, isGridPartial, SMTP_INDEX, TO_INDEX } from './grid-partial';
import { partialIndexUpto, sidesOf, updatePartialIndex } from './partial-index';
import { foldedExpr } from './filter';
import { updateRecordFacts } from './record-facts';
import { updateSummary } from './summary';
import { shareHourGroups } from './summary-facts';
import { SORT_INDEXES } from './sort-index';
import { updateInsightsRollup } from '../insights/rollup';

/** Searchable text columns; the position is the `col` number stored in search_vocab. */
export const SEARCH_COLUMNS = [
  'message_to',
  'message_from',
  'message_to_domain',
  'message_from_domain',
  'smtp_status_code',
] as const;
export type SearchColumn = (typeof SEARCH_COLUMNS)[number];

/** Records with id <= this value have their values in the vocabulary. */
export const SEARCH_INDEX_UPTO_KEY = 'search_index_upto';

/**
 * Set when the vocabulary was built with an empty value ('') for every column some record leaves
 * empty (NULL or ''), so that "every record has a value here" can be read from it
 * (universal-words.ts). Vocabularies built before lack those rows and this key.
 */
export const VOCAB_EMPTIES_KEY = 'search_vocab_empties';

/** The enhanced SMTP code's index (see DEFERRED_INDEXES); filter.ts compares the code directly when it exists. */
export const ENHANCED_INDEX = 'records_enhanced';
const ENHANCED_INDEX_SQL = `CREATE INDEX IF NOT EXISTS ${ENHANCED_INDEX} ON records(smtp_enhanced, creation_time_ms) WHERE smtp_enhanced IS NOT NULL`;

/**
 * B-tree indexes that only substring search, `usage:` and fast facets need. Built here, after the
 * import, so their cost counts towards "search ready" rather than "grid ready"; every query gives
 * the same results without them, only slower.
 */
export const DEFERRED_INDEXES: readonly { name: string; sql: string }[] = [
  // Partial, as the grid's random-key indexes (grid-partial.ts): built by updatePartialIndex below,
  // not by these statements.
  { name: 'records_smtp', sql: 'CREATE INDEX IF NOT EXISTS records_smtp ON records(smtp_status_code)' },
  { name: 'records_usage', sql: 'CREATE INDEX IF NOT EXISTS records_usage ON records(usage_id)' },
  // Partial, over the records up to a bound set when it is built (see facets-index.ts): built by
  // updateFacetsIndex, not by this statement, which shows its columns only.
  {
    name: FACETS_INDEX,
    sql: 'CREATE INDEX IF NOT EXISTS records_facets ON records(status, substatus, status_details, smtp_code, processing_region, entry_interface, message_to_domain) WHERE id <= ?',
  },
  // Insights (domain trend, bounce incidents): one covering pass by domain and time instead of the table.
  {
    name: 'records_domain_time',
    sql: 'CREATE INDEX IF NOT EXISTS records_domain_time ON records(message_to_domain, creation_time_ms, substatus)',
  },
  // `smtp:5.1.1`: the records of an enhanced code in time order (first page, count, id set) without
  // reading the reply texts. Partial: only replies that carry a code (~12 % of the bench's records);
  // SQLite uses it for `smtp_enhanced = ?`, which implies the index's WHERE.
  { name: ENHANCED_INDEX, sql: ENHANCED_INDEX_SQL },
  // Sorts by a column no grid index starts with (sort-index.ts).
  ...SORT_INDEXES.map(({ name, sql }) => ({ name, sql })),
];

/** Searchable columns no index starts with (see the first build in updateSearchIndex). */
const UNINDEXED_COLUMNS: readonly SearchColumn[] = ['message_from', 'message_from_domain'];

const CHUNK_IDS = 250_000;

/**
 * The trigram index as each first build creates it anew (migration 2 created it with FTS5's default
 * columnsize=1). columnsize=0: no `search_vocab_fts_docsize` row per value, which only bm25 and
 * other rank functions read, and no query here ranks (they re-check each match with LIKE). Measured
 * on the vocabulary of the 1M-row case (905k values), the bulk insert alone, two runs each
 * alternating: 4.10 / 4.12 s of CPU -> 3.02 / 2.91 s, same matches for "jan" AND "ane" (75 175).
 * A workspace whose index was built before keeps it until records are cleared: both shapes answer
 * every MATCH alike.
 */
export const VOCAB_FTS_SQL = `CREATE VIRTUAL TABLE search_vocab_fts USING fts5(
  value, content = 'search_vocab', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0
)`;

/** The grid index a column's first vocabulary pass reads in key order ('' for none of the partial ones). */
function indexOfColumn(col: SearchColumn): string {
  if (col === 'message_to') return TO_INDEX.name;
  if (col === 'smtp_status_code') return SMTP_INDEX.name;
  return col === 'message_to_domain' ? DOMAIN_INDEX.name : '';
}

export function maxRecordId(db: Database): number {
  return (db.prepare('SELECT ifnull(max(id), 0) AS m FROM records').get() as { m: number }).m;
}

/** Coverage keys: records with id <= upto are in the vocabulary; the mark tells whether they were cleared since. */
const COVERAGE: CoverageKeys = { upto: SEARCH_INDEX_UPTO_KEY, mark: 'search_index_mark' };

/**
 * The vocabulary covers records with id <= the returned value (0: do not use it). Records above
 * it are searched with LIKE, so results stay right while an update is pending or running.
 */
export function searchIndexCoverage(db: Database): number {
  // Records cleared (and maybe re-imported into reused ids): the vocabulary may lack their values.
  return coveredUpto(db, COVERAGE);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const err = new Error('Search index update cancelled');
    err.name = 'AbortError';
    throw err;
  }
}

/** Brings the substring index up to date with every committed record; sets meta search_index_ready = '1'. */
export function updateSearchIndex(db: Database, signal?: AbortSignal): void {
  let upto = searchIndexCoverage(db);
  const maxId = maxRecordId(db);
  if (upto === 0 && Number(metaGet(db, SEARCH_INDEX_UPTO_KEY) ?? 0) > 0) {
    // Records were cleared: start over so values of reused ids are not missed.
    db.transaction(() => {
      db.exec(
        "DELETE FROM search_vocab; INSERT INTO search_vocab_fts(search_vocab_fts) VALUES ('delete-all');",
      );
      metaSet(db, SEARCH_INDEX_UPTO_KEY, '0');
    })();
    upto = 0;
  }
  if (upto < maxId) metaSet(db, SEARCH_INDEX_READY_KEY, '0');
  withParallelSort(db, () => {
    for (const idx of DEFERRED_INDEXES) {
      throwIfAborted(signal);
      if (idx.name === FACETS_INDEX) updateFacetsIndex(db, maxId);
      else if (!isGridPartial(idx.name)) db.exec(idx.sql);
    }
    // The partial indexes (built, or over everything once their delta passes its share: grid-partial.ts);
    // each in a transaction of its own, so a cancel or a kill leaves the old one.
    for (const def of GRID_PARTIAL) {
      throwIfAborted(signal);
      updatePartialIndex(db, def, maxId);
    }
  });
  const addValues = SEARCH_COLUMNS.map((col, i) =>
    db.prepare(
      `INSERT OR IGNORE INTO search_vocab(col, value)
       SELECT DISTINCT ${i}, ifnull(${foldedExpr(col)}, '') FROM records WHERE id > ? AND id <= ?`,
    ),
  );
  const maxVocab = db.prepare('SELECT ifnull(max(id), 0) AS m FROM search_vocab');
  const addFts = db.prepare(
    'INSERT INTO search_vocab_fts(rowid, value) SELECT id, value FROM search_vocab WHERE id > ?',
  );
  if (upto === 0 && maxId > 0) {
    // First build: read each column in index order (GROUP BY over the B-tree, no sort), which is
    // several times faster than DISTINCT over an id range. A cancel rolls the whole build back.
    db.transaction(() => {
      withParallelSort(db, () =>
        SEARCH_COLUMNS.forEach((col, i) => {
          if (UNINDEXED_COLUMNS.includes(col)) return;
          throwIfAborted(signal);
          const expr = foldedExpr(col);
          // A partial index (grid-partial.ts) is read up to its bound, the delta above it by rowid.
          for (const side of sidesOf(partialIndexUpto(db, indexOfColumn(col))))
            db.prepare(
              `INSERT OR IGNORE INTO search_vocab(col, value) SELECT ${i}, ifnull(${expr}, '') FROM records WHERE ${side} GROUP BY ${expr}`,
            ).run();
        }),
      );
      throwIfAborted(signal);
      // The columns without an index of their own in one pass, DISTINCT over the pair: an export
      // has a handful of senders, so that is a temp B-tree of a few rows, where grouping each column
      // sorted every record (1M rows: 0.5 + 0.65 s -> 0.2 s, measured under load).
      const [a, b] = UNINDEXED_COLUMNS.map(foldedExpr);
      const [ia, ib] = UNINDEXED_COLUMNS.map((c) => SEARCH_COLUMNS.indexOf(c));
      db.exec(
        `WITH v AS MATERIALIZED (SELECT DISTINCT ${a} AS a, ${b} AS b FROM records)
         INSERT OR IGNORE INTO search_vocab(col, value)
         SELECT ${ia}, ifnull(a, '') FROM v UNION ALL SELECT ${ib}, ifnull(b, '') FROM v`,
      );
      metaSet(db, VOCAB_EMPTIES_KEY, '1');
      throwIfAborted(signal);
      // Recreated empty, whatever an interrupted or older build left in it: every vocabulary row goes
      // in below (addFts from id 0), so no value is indexed twice or missed.
      db.exec('DROP TABLE IF EXISTS search_vocab_fts');
      db.exec(VOCAB_FTS_SQL);
      // One bulk insert: merging segments while it runs costs ~0.5 s per 1M rows and left queries no
      // faster (measured: same number of index rows, same trigram query times); FTS5's default is 4.
      db.exec("INSERT INTO search_vocab_fts(search_vocab_fts, rank) VALUES ('automerge', 0)");
      addFts.run(0);
      db.exec("INSERT INTO search_vocab_fts(search_vocab_fts, rank) VALUES ('automerge', 4)");
      setCoveredUpto(db, COVERAGE, maxId);
    })();
    upto = maxId;
  }
  // Later imports: only the new id range, in chunks.
  while (upto < maxId) {
    throwIfAborted(signal);
    const to = Math.min(maxId, upto + CHUNK_IDS);
    const from = upto;
    db.transaction(() => {
      const before = (maxVocab.get() as { m: number }).m;
      for (const stmt of addValues) stmt.run(from, to);
      addFts.run(before);
      setCoveredUpto(db, COVERAGE, to);
    })();
    upto = to;
  }
  metaSet(db, SEARCH_INDEX_READY_KEY, '1');
  // The narrow per-record copy the id sets of free words and addresses read (see record-facts.ts);
  // first, because the summaries and the rollup below are grouped from it (summary-facts.ts).
  updateRecordFacts(db, signal);
  shareHourGroups(db, () => {
    // The hourly counts of histograms and counts, over the same new records (see summary.ts).
    updateSummary(db, signal);
    // The domains view's and the incidents' counts per domain and hour (issue 15).
    updateInsightsRollup(db, signal);
  });
}
