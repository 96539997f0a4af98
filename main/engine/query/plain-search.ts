/**
 * The search of a filter that is a search alone, parsed: for the paths that answer from memory by
 * looking at the terms themselves (facts-ids.ts, codes-ids.ts). Grid conditions and a brushed time
 * range are not theirs to read.
 */
import type { FilterModel } from '../../../common/contract';
import { tryParseSearch, type SearchTerm } from '../../../common/search-syntax';

/** The search text and its terms, or null: other parts in the filter, or a syntax error (which the ordinary path reports). */
export function plainSearch(filter: FilterModel): { q: string; terms: readonly SearchTerm[] } | null {
  // Not a filter at all (hostile input before validation): the ordinary path reports it.
  if (typeof filter !== 'object' || filter === null) return null;
  if ((filter.conditions ?? []).length > 0 || filter.timeFrom !== undefined || filter.timeTo !== undefined)
    return null;
  const q = filter.q ?? '';
  const parsed = tryParseSearch(q, filter.timeZone === undefined ? {} : { timeZone: filter.timeZone });
  return parsed.ok ? { q, terms: parsed.terms } : null;
}

/** The value of the filter's one term when that is a positive free word (word-ids.ts), else null. */
export function soleWord(filter: FilterModel): string | null {
  const search = plainSearch(filter);
  const t = search?.terms.length === 1 ? search.terms[0] : undefined;
  return t?.kind === 'text' && !t.negate ? t.value : null;
}
