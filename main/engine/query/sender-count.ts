/**
 * The count of a search of `from:` terms alone (`from:news`, `-from:news from:mail`) from the kept
 * copy of each record's sender code (memory-cache.ts: `values.sender`, `values.senders`), read alone:
 * no index holds the sender, so without the aggregate reader's memories (the CLI, a reader whose
 * restore has not run) the count scanned the ~900-byte table rows (1M rows: 417 ms engine alone; 5M:
 * 2.2 s). The sender codes are 2 bytes a record (5M rows: 10 MB), a fifth of what restoring the
 * values and facts memories reads for the same count (sizes 8 and times 8 bytes a record besides).
 *
 * Exact as the values memory is (values-memory.ts): the copy is of the current records generation and
 * its bound within record_facts' coverage (records up to it never change in a generation); each
 * distinct sender is tried once by the search's own SQL (value-terms.ts senderPass); the records
 * above the bound (an append the copy does not hold yet) are counted by SQL. Anything else (no copy,
 * another generation, a length that does not fit): null, the caller's paths answer.
 */
import type { Database } from 'better-sqlite3';
import { LIMITS, type FilterModel } from '../../../common/contract';
import type { SearchTerm } from '../../../common/search-syntax';
import { compileWhere } from './filter';
import { hasKeptTable, MEMORY_CACHE_TABLE } from './memory-cache';
import { readChunks } from './memory-chunks';
import { keptCodes, keptSenders } from './memory-install';
import { plainSearch } from './plain-search';
import { factsCoverage } from './record-facts';
import { recordsGeneration } from './records-generation';
import { senderPass } from './value-terms';

/** The search's terms when they are `from:` terms and nothing else, else null. */
function senderTerms(filter: FilterModel): readonly SearchTerm[] | null {
  const search = plainSearch(filter);
  if (search === null || search.q.length > LIMITS.maxQueryLength || search.terms.length === 0) return null;
  return search.terms.every((t) => t.kind === 'field' && t.field.name === 'from') ? search.terms : null;
}

/** The count, or null when the filter is anything but `from:` terms or no current copy is kept. */
export function senderCount(db: Database, filter: FilterModel): number | null {
  const terms = senderTerms(filter);
  if (terms === null || !hasKeptTable(db)) return null;
  const q = filter.q as string;
  return db.transaction(() => {
    const parts = readChunks(db, MEMORY_CACHE_TABLE, recordsGeneration(db), 'values.sender');
    const codes = parts.get('values.sender');
    const names = parts.get('values.senders');
    if (codes === undefined || names === undefined || codes.upto !== names.upto) return null;
    const upto = codes.upto;
    if (upto < 1 || upto > factsCoverage(db)) return null;
    const sender = keptCodes(codes.data, upto + 1);
    const senders = keptSenders(names.data);
    if (sender === null || senders === null) return null;
    const pass = senderPass(db, q, terms, { senders });
    let n = 0;
    for (let id = 1; id <= upto; id++) n += pass[sender[id]];
    // A code past the dictionary (a copy that does not fit) reads undefined: NaN.
    if (Number.isNaN(n)) return null;
    const where = compileWhere(filter);
    const above = db
      .prepare(`SELECT count(*) FROM records WHERE id > ? AND (${where.sql})`)
      .pluck()
      .get(upto, ...where.params) as number;
    return n + above;
  })();
}
