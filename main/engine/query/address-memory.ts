/**
 * Each record's address as its vocabulary id (search_vocab, column message_to: lower(message_to)),
 * in the memory of the reader that answers counts, facets and histograms. A free word common among
 * the addresses (`jane` at 5M rows: 340k distinct addresses, 416k records) is then the vocabulary
 * ids that hold it, read from the trigram index and confirmed by LIKE on the distinct values, and a
 * loop over this array, instead of a LIKE over every entry of records_to (5M entries, ~340 MB: ~0.3 s
 * quiet, one pass per reader and search).
 *
 * Memory: 4 bytes per record id (20 MB at 5M), on one reader only. Loaded in steps while the reader
 * is idle (worker/entry.ts), after the mirror of record_facts: the vocabulary's addresses in order,
 * each joined to its records through records_to (one seek per address, in key order); records the
 * vocabulary covers later (an append) by id range.
 *
 * Kept exact: the map belongs to one records generation (records-generation.ts: bumped by every
 * removal, after which the vocabulary is rebuilt with new ids) and to one vocabulary coverage; an
 * address id once given never changes while both stay. Until the map covers exactly what the
 * vocabulary covers, callers take the LIKE path.
 */
import type { Database } from 'better-sqlite3';
import { recordsOfAddresses } from './address-pass';
import { settleMemory } from './memory-pending';
import { recordsGeneration } from './records-generation';
import { searchIndexCoverage, SEARCH_COLUMNS } from './search-index';
import { escapeLike } from './filter';
import { TO_INDEX } from './grid-partial';
import { partialIndexUpto, WHOLE } from './partial-index';
import { trigramQuery } from './resolver';

/** The vocabulary's column number of message_to (a function: search-index.ts is in an import cycle). */
const to = (): number => SEARCH_COLUMNS.indexOf('message_to');

/** Addresses (or, for records covered later, record ids) read per step. */
export const ADDRESS_CHUNK = 20_000;

interface AddressMap {
  readonly generation: string;
  /** Vocabulary coverage the map is being built for, or holds: records with id <= upto. */
  upto: number;
  vid: Uint32Array;
  /** The first build's position: the last address joined (SQLite's order), null before the first step. */
  after: string | null;
  /** Records with id <= `built` hold their address id (after the first build: up to records_to's bound). */
  built: number;
  /** records_to's bound when the first build began (partial-index.ts; null: no index, by id range). */
  readonly k: number | null;
  /** The first build (by address, through records_to) is done. */
  joined: boolean;
}

const maps = new WeakMap<Database, AddressMap>();
const enabled = new WeakSet<Database>();

/** Lets this connection keep the map (the aggregate reader only: 4 bytes a record). */
export function enableAddressMemory(db: Database): void {
  enabled.add(db);
}

/** Forgets the map (tests compare both paths). */
export function dropAddressMemory(db: Database): void {
  maps.delete(db);
}

/** Writes vid[record] = address id for the pairs of a JSON-aggregated query. */
function store(m: AddressMap, row: [string, string] | undefined): void {
  if (row === undefined) return;
  const ids = JSON.parse(row[0]) as number[];
  const vids = JSON.parse(row[1]) as number[];
  for (let i = 0; i < ids.length; i++) if (ids[i] <= m.upto) m.vid[ids[i]] = vids[i];
}

/**
 * One step of the first build: the next ADDRESS_CHUNK addresses in order, joined to the records up to
 * records_to's bound (a partial index: the rest, above it, go by id range after); false once done.
 */
function buildStep(db: Database, m: AddressMap): boolean {
  if (m.k === null) return false;
  const chunk = `SELECT id, value FROM search_vocab WHERE col = ${to()} AND value ${m.after === null ? ">= ''" : '> ?'}
                 ORDER BY value LIMIT ${ADDRESS_CHUNK}`;
  const args = m.after === null ? [] : [m.after];
  const last = db
    .prepare(`SELECT max(value) FROM (${chunk})`)
    .pluck()
    .get(...args) as string | null;
  if (last === null) return false;
  // CROSS JOIN keeps the addresses outside: one seek into records_to per address, in key order.
  // `+v.value` drops the column's TEXT affinity, without which SQLite cannot seek the index on the
  // expression lower(message_to) (it scanned the whole index once per address).
  store(
    m,
    db
      .prepare(
        `SELECT json_group_array(r.id), json_group_array(v.id) FROM (${chunk}) AS v
         CROSS JOIN records AS r INDEXED BY records_to WHERE lower(r.message_to) = +v.value AND ${m.k === WHOLE ? '1' : `r.id <= ${m.k}`}`,
      )
      .raw()
      .get(...args) as [string, string] | undefined,
  );
  m.after = last;
  return true;
}

/** Records lo < id <= hi (covered by the vocabulary after the first build) by id range. */
function addRange(db: Database, m: AddressMap, lo: number, hi: number): void {
  store(
    m,
    db
      .prepare(
        `SELECT json_group_array(r.id), json_group_array(v.id) FROM records AS r
         CROSS JOIN search_vocab AS v ON v.col = ${to()} AND v.value = lower(r.message_to)
         WHERE r.id > ? AND r.id <= ?`,
      )
      .raw()
      .get(lo, hi) as [string, string] | undefined,
  );
}

function grow(m: AddressMap, upto: number): void {
  if (upto + 1 > m.vid.length) {
    const vid = new Uint32Array(Math.max(upto + 1, Math.ceil(m.vid.length * 1.5)));
    vid.set(m.vid);
    m.vid = vid;
  }
  m.upto = upto;
}

/**
 * One step towards a map of every record the vocabulary covers, in one read transaction; true while
 * more steps are needed. For the worker's idle loop.
 */
export function stepAddressMemory(db: Database): boolean {
  if (!enabled.has(db)) return false;
  settleMemory(db, 'address');
  return db.transaction(() => {
    const coverage = searchIndexCoverage(db);
    const generation = recordsGeneration(db);
    let m = maps.get(db);
    const k = partialIndexUpto(db, TO_INDEX.name);
    // A rebuilt records_to (new bound) mid-build: start over, the steps so far stopped at the old one.
    const stale = m !== undefined && !m.joined && m.k !== k;
    if (m === undefined || m.generation !== generation || m.upto > coverage || stale) {
      maps.delete(db);
      if (coverage === 0) return false;
      m = {
        generation,
        upto: coverage,
        vid: new Uint32Array(coverage + 1),
        after: null,
        built: 0,
        k,
        joined: false,
      };
      maps.set(db, m);
    }
    if (!m.joined) {
      if (buildStep(db, m)) return true;
      m.joined = true;
      m.built = m.k === null ? 0 : Math.min(m.upto, m.k);
    }
    if (m.built >= coverage) return false;
    const hi = Math.min(coverage, m.built + ADDRESS_CHUNK);
    grow(m, hi);
    addRange(db, m, m.built, hi);
    m.built = hi;
    return hi < coverage;
  })();
}

/** The map of this generation, holding exactly the vocabulary's coverage, or null. */
function readyMap(db: Database, coverage: number): AddressMap | null {
  settleMemory(db, 'address');
  const m = maps.get(db);
  if (m === undefined || coverage === 0 || m.built !== coverage || m.upto !== coverage) return null;
  return m.generation === recordsGeneration(db) ? m : null;
}

/** The map up to `upto` of one generation, as memory-cache.ts keeps and restores it. */
export interface AddressCopy {
  readonly generation: string;
  readonly upto: number;
  readonly vid: Uint32Array;
}

/** This connection's map when it holds exactly the vocabulary's coverage `coverage`, else null. */
export function addressMemoryCopy(db: Database, coverage: number): AddressCopy | null {
  const m = readyMap(db, coverage);
  return m === null ? null : { generation: m.generation, upto: m.upto, vid: m.vid.subarray(0, m.upto + 1) };
}

/**
 * Takes a kept map (checked by memory-cache.ts: this generation, no more than the vocabulary's
 * coverage) as a finished first build; the steps add the records covered since by id range.
 */
export function restoreAddressMemory(db: Database, copy: AddressCopy): void {
  if (!enabled.has(db)) return;
  maps.set(db, {
    generation: copy.generation,
    upto: copy.upto,
    vid: copy.vid,
    after: null,
    built: copy.upto,
    k: null,
    joined: true,
  });
}

/** The map holds every record the vocabulary covers now (call inside the caller's read transaction). */
export function addressMapReady(db: Database): boolean {
  return readyMap(db, searchIndexCoverage(db)) !== null;
}

/**
 * Ids (ascending) of the records with id <= coverage whose address has one of these vocabulary ids
 * (message_to's, confirmed to hold the term), or null when the map does not hold that coverage.
 */
export function recordsWithAddresses(
  db: Database,
  vids: readonly number[] | Uint32Array,
  coverage: number,
): Uint32Array | null {
  const m = readyMap(db, coverage);
  if (m === null) return null;
  return recordsOfAddresses(m.vid, coverage, vids);
}

/**
 * Ids (ascending) of the records with id <= coverage whose address holds `term` as `message_to LIKE
 * '%term%'` would find them, or null when the map does not hold exactly that coverage (or the term
 * has no trigrams): the caller scans. Call inside the caller's read transaction. (The resolver finds
 * the vocabulary ids in its own pass, resolver.ts; this one is for callers without it.)
 */
export function addressMatchIds(db: Database, term: string, coverage: number): Uint32Array | null {
  if (readyMap(db, coverage) === null || [...term].length < 3 || term.includes('\u0000')) return null;
  let vids: number[];
  try {
    // The stored values are lower(message_to); LIKE folds ASCII only, as lower() does, so a value
    // matches exactly when the address does.
    vids = db
      .prepare(
        `SELECT v.id FROM search_vocab_fts f JOIN search_vocab v ON v.id = f.rowid
         WHERE search_vocab_fts MATCH ? AND v.col = ${to()} AND v.value LIKE ? ESCAPE '\\'`,
      )
      .pluck()
      .all(trigramQuery(term), `%${escapeLike(term)}%`) as number[];
  } catch (err) {
    if (err instanceof Error && err.name === 'SqliteError') return null;
    throw err;
  }
  return recordsWithAddresses(db, vids, coverage);
}
