/**
 * A positive free word ANDed with facet terms (`jane status:error`, `jane -region:DE1`): the word's id
 * set (as kept across searches, word-ids.ts) with each record's combo tested in the facts mirror, the
 * facet terms evaluated once per combo (facts-ids.ts comboMask), not per record by SQL.
 *
 * Why: match-ids.ts compiled such a search whole and read `SELECT id FROM records WHERE status ... AND
 * id IN (the word's branches)`. At 5M rows on a copy of the shared case under load, the CLI's `facets
 * jane status:error` took 2.4-9.8 s, 8.2 of 9.0 s of a CPU profile in that statement.
 *
 * Exact: different fields and free words AND (common/search-syntax.ts), so the search is the word's
 * records that pass the rest; the rest is compiled as the summaries compile it (summaryFilter over the
 * combos' stored columns). Records above the mirror's coverage are tested by SQL with the rest.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { withoutTerms } from '../../../common/search-syntax';
import { comboMask } from './facts-ids';
import { factsMirror } from './facts-memory';
import { compileWhere } from './filter';
import type { MatchIds } from './match-ids';
import { plainSearch } from './plain-search';
import { factsCoverage } from './record-facts';
import { FACET_FIELDS, summaryFilter } from './summary';

/**
 * The search's ids ascending; undefined when it is not one positive free word and facet terms, the
 * mirror is not complete, or `wordIds` finds no set for the word (the caller compiles the search). `wordIds(text, value)`:
 * the word's set as the search of the word alone (`text` as typed) finds it. Call inside the caller's
 * read transaction.
 */
export function wordFacetsIds(
  db: Database,
  filter: FilterModel,
  wordIds: (text: string, value: string) => MatchIds | null,
): Uint32Array | Float64Array | undefined {
  const search = plainSearch(filter);
  if (search === null || search.terms.length < 2) return undefined;
  const words = search.terms.filter((t) => t.kind === 'text');
  const word = words[0];
  if (words.length !== 1 || word.negate) return undefined;
  const rest: FilterModel = { ...filter, q: withoutTerms(search.q, [word]) };
  const combos = summaryFilter(rest, false, FACET_FIELDS);
  const coverage = factsCoverage(db);
  const mirror = combos === null || coverage === 0 ? null : factsMirror(db, coverage);
  if (combos === null || mirror === null) return undefined;
  const set = wordIds(search.q.slice(word.start, word.end), word.value);
  if (set === null) return undefined;
  const ok = comboMask(db, combos);
  const { cid } = mirror;
  const top = Math.min(coverage, cid.length - 1);
  const ids = set.list;
  const out = ids instanceof Uint32Array ? new Uint32Array(ids.length) : new Float64Array(ids.length);
  const above: number[] = [];
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id > top) above.push(id);
    else {
      const c = cid[id];
      if (c !== 0 && c < ok.length && ok[c] === 1) out[n++] = id;
    }
  }
  if (above.length > 0) {
    const where = compileWhere(rest);
    const passed = db
      .prepare(
        `SELECT id FROM records WHERE id IN (SELECT value FROM json_each(?)) AND (${where.sql}) ORDER BY id`,
      )
      .pluck()
      .all(JSON.stringify(above), ...where.params) as number[];
    for (const id of passed) out[n++] = id;
  }
  return out.subarray(0, n);
}
