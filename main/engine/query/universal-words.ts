/**
 * Free words that every record matches, dropped from a filter before it is answered.
 *
 * A support engineer often types the company's own name or domain (`example`, `com`): a free word
 * in every sender address, so in every record. No vocabulary lookup narrows that down, so the count,
 * facets and histogram each scanned the whole case with LIKE (`com` at 1M rows: all four together
 * 3.9-4.9 s, measured under load). Such a word filters nothing: the search without it has the same
 * rows, and the summaries answer it in milliseconds.
 *
 * A positive free word matches a record when one of the searchable columns contains it. It matches
 * every record when, for some column, every value the case holds there contains it and no record
 * leaves that column empty. The vocabulary holds exactly the distinct values of each column, plus an
 * empty value when some record has none (VOCAB_EMPTIES_KEY), so that is read from the vocabulary's
 * small columns (a handful of senders) while it covers every record; otherwise the filter is kept.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { tryParseSearch, withoutTerms, type SearchTerm } from '../../../common/search-syntax';
import { metaGet } from '../db/meta';
import { escapeLike } from './filter';
import { dataVersion, recordsFingerprint } from './records-generation';
import { maxRecordId, SEARCH_COLUMNS, searchIndexCoverage, VOCAB_EMPTIES_KEY } from './search-index';

/** Columns with more distinct values than this are not read (an address column holds ~300k). */
const SMALL_COLUMN = 5000;

/** Trigram terms only, as the resolver: shorter words and NUL go to LIKE and are kept. */
function candidate(t: SearchTerm): boolean {
  return t.kind === 'text' && !t.negate && [...t.value].length >= 3 && !t.value.includes('\u0000');
}

/** Per searchable column with few values and no empty record: its number of distinct values. */
function fullColumns(db: Database): { col: number; values: number }[] {
  const size = db.prepare('SELECT count(*) FROM (SELECT 1 FROM search_vocab WHERE col = ? LIMIT ?)').pluck();
  const empty = db.prepare("SELECT count(*) FROM search_vocab WHERE col = ? AND value = ''").pluck();
  return SEARCH_COLUMNS.map((_, col) => ({ col, values: size.get(col, SMALL_COLUMN + 1) as number })).filter(
    ({ col, values }) => values > 0 && values <= SMALL_COLUMN && (empty.get(col) as number) === 0,
  );
}

interface KeptColumns {
  version: string;
  readonly fingerprint: string;
  readonly columns: readonly { col: number; values: number }[];
}

const kept = new WeakMap<Database, KeptColumns>();

/**
 * fullColumns, read again only when the records or a derived structure's coverage changed (the
 * vocabulary grows with its coverage in meta, part of the fingerprint: records-generation.ts). Its
 * counts were ~1.2 ms of every search with a free word (5M bench case: `jane.mueller123`'s first page
 * 14.9 ms), reading up to 5 001 vocabulary rows of each address column to learn they are not small.
 */
function fullColumnsNow(db: Database): readonly { col: number; values: number }[] {
  const version = dataVersion(db);
  const known = kept.get(db);
  if (known?.version === version) return known.columns;
  const fingerprint = recordsFingerprint(db);
  if (known?.fingerprint === fingerprint) {
    known.version = version;
    return known.columns;
  }
  const columns = fullColumns(db);
  kept.set(db, { version, fingerprint, columns });
  return columns;
}

/**
 * The filter without its free words that every record matches (the same filter object when there is
 * none). Invalid filters are returned unchanged, for the query functions to report.
 */
export function dropUniversalWords<F extends FilterModel>(db: Database, filter: F): F {
  if (typeof filter !== 'object' || filter === null || typeof filter.q !== 'string') return filter;
  const q = filter.q;
  const zone = typeof filter.timeZone === 'string' ? { timeZone: filter.timeZone } : {};
  const parsed = q.trim() === '' ? null : tryParseSearch(q, zone);
  if (parsed === null || !parsed.ok) return filter;
  const words = parsed.terms.filter(candidate);
  if (words.length === 0 || metaGet(db, VOCAB_EMPTIES_KEY) !== '1') return filter;
  const coverage = searchIndexCoverage(db);
  if (coverage === 0 || coverage < maxRecordId(db)) return filter;
  const columns = fullColumnsNow(db);
  if (columns.length === 0) return filter;
  // LIKE as the resolver confirms its trigram candidates (a value LIKE the word also holds its trigrams).
  const matching = db
    .prepare("SELECT count(*) FROM search_vocab WHERE col = ? AND value LIKE ? ESCAPE '\\'")
    .pluck();
  const universal = words.filter((w) =>
    columns.some(({ col, values }) => matching.get(col, `%${escapeLike(w.value)}%`) === values),
  );
  return universal.length === 0 ? filter : { ...filter, q: withoutTerms(q, universal) };
}
