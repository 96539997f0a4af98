/**
 * The CLI's `count`, `facets` and `query` take the aggregate reader's kept memories (memory-cache.ts:
 * facts mirror, address map, senders and sizes) that their search needs, before they answer, and then
 * answer with the same code the aggregate reader runs (match-ids.ts, value-terms.ts, record-facts.ts).
 *
 * Why: the CLI's connection is bare (no reader thread, nothing loaded), so a term no summary or
 * index answers read the ~900-byte table rows: `from:news` (no index holds the sender) and
 * `size>100000` (most records match) scanned the table for their ids, and their facets then probed
 * record_facts per id. At 1M rows, engine alone: count `from:news` 417 ms, facets `size>100000`
 * 872 ms; at 5M 2.2 s and 9.2 s. Reading the kept arrays costs about 5 ms per MB under load.
 *
 * Only what the search's terms need is read: summaries already answer enum, domain and time terms,
 * the records_size index a count of size bounds alone (size-count.ts) and the kept sender codes a
 * count of senders alone (sender-count.ts), where a restore would only add its reads. Exact as the reader is: a copy of another records generation, or one that does not
 * fit the coverage, is ignored by restoreMemories and the command takes the SQL path as before.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, SortKey } from '../../common/contract';
import { tryParseSearch, type SearchTerm } from '../../common/search-syntax';
import { restoreAddressCounts } from '../engine/query/address-counts';
import { takeKeptAddressPass } from '../engine/query/address-kept-pass';
import { enableAddressMemory } from '../engine/query/address-memory';
import { preferComplement } from '../engine/query/complement';
import { enableFactsMemory } from '../engine/query/facts-memory';
import {
  hasKeptTable,
  MEMORY_CACHE_TABLE,
  restoreFactCombos,
  restoreMemories,
  restoreValueSenders,
  restoreValueSizes,
  type MemoryName,
} from '../engine/query/memory-cache';
import { searchIndexCoverage } from '../engine/query/search-index';
import { FACET_FIELDS, summaryFilter } from '../engine/query/summary';
import { dropUniversalWords } from '../engine/query/universal-words';
import { enableValuesMemory } from '../engine/query/values-memory';
import { oneWord } from '../engine/query/word-count';
import { restoreWordTokens } from '../engine/query/word-tokens-kept';

export type MemoryUse = 'count' | 'facets' | 'query';

/** The `query` command's default order (newest first). */
const TIME_SORT: readonly SortKey[] = [{ column: 'creation_time', dir: 'desc' }];

const isValueTerm = (t: SearchTerm): boolean =>
  t.kind === 'field' && (t.field.name === 'from' || t.field.kind === 'size');
const isSizeTerm = (t: SearchTerm): boolean => t.kind === 'field' && t.field.kind === 'size';
const isFromTerm = (t: SearchTerm): boolean => t.kind === 'field' && t.field.name === 'from';
/**
 * Free words: their addresses are found through the address map (match-ids.ts). Not `to:` terms, a
 * prefix the vocabulary narrows down (5M rows: `to:max.weber1` count 116 ms without, 292 ms with the
 * restore).
 */
const isWord = (t: SearchTerm): boolean => t.kind === 'text';

function termsOf(filter: FilterModel): readonly SearchTerm[] | null {
  const q = filter.q;
  if (typeof q !== 'string' || q.trim() === '') return null;
  const parsed = tryParseSearch(q, filter.timeZone === undefined ? {} : { timeZone: filter.timeZone });
  return parsed.ok ? parsed.terms : null;
}

/**
 * The facets read the facts mirror's combo ids alone (record-facts.ts idSetCombos 'counts'); its
 * times (40 of its 50 MB at 5M records) only a time term would read (facts-ids.ts), so without one
 * they are left unread (memory-cache.ts restoreFactCombos). 5M rows, copy of the shared case, under
 * load: facts.t 264-630 ms to read, facts.cid 33-122 ms.
 */
export function factsWithoutTimes(filter: FilterModel, use: MemoryUse): boolean {
  const terms = termsOf(filter);
  return (
    use === 'facets' && terms !== null && !terms.some((t) => t.kind === 'field' && t.field.kind === 'date')
  );
}

/**
 * True when the summaries answer the facets of a filter without time terms (summary-read.ts
 * summaryFacetCombos; with one, the facts' times are read anyway).
 */
function summarised(filter: FilterModel): boolean {
  return summaryFilter(filter, false, FACET_FIELDS) !== null;
}

/** The memories `use` of `filter` is answered from, in the order they are read; [] for none. */
export function memoriesFor(filter: FilterModel, use: MemoryUse): MemoryName[] {
  const terms = termsOf(filter);
  if (terms === null) return [];
  const out = new Set<MemoryName>();
  // A count of size bounds alone is the records_size index's (size-count.ts), of senders alone the
  // kept sender codes' (sender-count.ts: a fifth of the bytes), both of which the facts mirror would
  // switch off; `query` is that count and the rows the creation time index gives (200k rows:
  // `query size>100000` 14 ms without, 64 ms with the restore).
  const counted = terms.every(isSizeTerm) || terms.every(isFromTerm);
  if (terms.some(isValueTerm) && !(use !== 'facets' && counted)) out.add('facts').add('values');
  // The count of a word is its id set, which the address map finds without the facts mirror (5M rows,
  // engine alone under load: `jane` count 958 ms with the map alone, 1186 ms with the mirror too);
  // its facets are the mirror's loop over those ids.
  if (terms.some(isWord)) {
    if (use === 'facets') out.add('facts');
    out.add('address');
  }
  // Facets no summary answers are those of the search's id set (an SMTP code, a recipient prefix):
  // counted by combo from the kept combo ids, not by a record_facts probe per id (5M rows, fresh
  // process, under load: `smtp:5.1.1`, 143k ids, 615 -> 180 ms CPU; `to:max.weber1` 550 -> 271).
  if (!out.has('facts') && factsWithoutTimes(filter, use) && !summarised(filter)) return ['facts', ...out];
  return [...out];
}

/**
 * Takes the kept copies of the memories `use` of `filter` needs as this connection's own. Returns
 * the names restored, or read in place (the facets' address map; a stale or missing copy is left
 * out: its paths read SQL). Only a speed-up: an unreadable copy is ignored.
 */
export function restoreForSearch(
  db: Database,
  filter: FilterModel,
  use: MemoryUse,
  sort: readonly SortKey[] = TIME_SORT,
): MemoryName[] {
  // A word in every record (`example`, the company's own domain) is dropped before the search is
  // answered (universal-words.ts): nothing to read for it (5M rows: `example` count 8 ms without,
  // 144 ms with the restore).
  const searched = dropUniversalWords(db, filter);
  const timeless = factsWithoutTimes(searched, use);
  const names = memoriesFor(searched, use);
  const terms = termsOf(searched) ?? [];
  const sizeless = !terms.some(isSizeTerm);
  const senderless = !terms.some(isFromTerm);
  // The facets alone: a negated word is the rest's summaries less the word's ids (complement.ts),
  // not a pass over every other record (5M rows, `-jane`: see preferComplement).
  if (use === 'facets') preferComplement(db);
  const done: MemoryName[] = [];
  // The count of one word (or `-word`) alone: the kept counts per address in place of the map
  // (word-count.ts; 5M rows: ~4 MB read instead of 20 MB, and no pass over the map). `query` too when
  // its rows are by time, which read no map (other sorts may read the word's ids: the map as before).
  const byTime = sort.every((k) => k.column === 'creation_time');
  const counted =
    (use === 'count' || (use === 'query' && byTime)) && oneWord(filter) !== null && names.includes('address');
  if (counted && takeAddressCounts(db)) return done;
  // The facets read the word's records from the kept map's chunks as read, not a restored map
  // (address-kept-pass.ts).
  const passed = use === 'facets' && names.includes('address') && takeKeptAddressPass(db);
  for (const name of names) {
    if (name === 'address' && passed) {
      done.push(name);
      continue;
    }
    if (name === 'facts') enableFactsMemory(db);
    else if (name === 'values') enableValuesMemory(db);
    else enableAddressMemory(db);
    try {
      if (name === 'facts' && timeless) {
        if (restoreFactCombos(db)) done.push(name);
      } else if (name === 'values' && sizeless) {
        // `from:` terms alone of the two: the senders without the sizes (5M rows: 10 of 50 MB).
        if (restoreValueSenders(db)) done.push(name);
      } else if (name === 'values' && senderless) {
        // Size bounds alone: the sizes without the senders (5M rows: 40 of 50 MB).
        if (restoreValueSizes(db)) done.push(name);
      } else for (const r of restoreMemories(db, name)) done.push(r as MemoryName);
    } catch {
      // A copy that cannot be read leaves the SQL paths, as a missing one does.
    }
  }
  // The facets of a word: its vocabulary ids from the kept token dictionary, not the trigram
  // statement (5M rows, `facets jane` engine alone under load: the statement ~276 ms of CPU a run);
  // likewise the set of a query by another order than time (sender-order.ts, and its count).
  if ((use === 'facets' || (use === 'query' && !byTime)) && done.includes('address')) takeWordTokens(db);
  return done;
}

/** The kept token dictionary when it fits the vocabulary now (word-tokens-kept.ts); else nothing. */
function takeWordTokens(db: Database): void {
  try {
    db.transaction(() => restoreWordTokens(db, MEMORY_CACHE_TABLE, searchIndexCoverage(db)))();
  } catch {
    // Unreadable: the statement finds the word's ids.
  }
}

/**
 * The kept counts per address, when they hold exactly what the vocabulary covers now, and with them
 * the kept token dictionary when it fits too (word-tokens-kept.ts: the word's ids without the trigram
 * statement; without it word-count.ts reads them by the statement).
 */
function takeAddressCounts(db: Database): boolean {
  try {
    return db.transaction(() => {
      if (!hasKeptTable(db)) return false;
      if (!restoreAddressCounts(db, MEMORY_CACHE_TABLE, searchIndexCoverage(db))) return false;
      takeWordTokens(db);
      return true;
    })();
  } catch {
    return false;
  }
}
