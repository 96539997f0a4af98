/** Facet counts under the current filter, for the side panel and `delivery-inspector facets`. */
import type { Database } from 'better-sqlite3';
import { FACET_NAMES, type FacetBucket, type Facets, type FilterModel } from '../../../common/contract';
import { EngineError } from '../errors';
import { facetCombos, FEW_ROWS, type Combo, type FacetPlan } from './facets-plan';
import { compileWhere, type SqlPart, type TextResolver } from './filter';
import { idsPart } from './match-ids';
import { matchIds } from './paging';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE } from './resolver';
import { idSetCombos } from './record-facts';
import { summaryFacetCombos } from './summary-read';
import { complementOf } from './complement';

export { FACET_NAMES };

/** Value reported for rows without a value (no SMTP reply, empty region, ...). */
export const NONE = '(none)';

class Tally {
  private readonly counts = new Map<string, number>();
  private readonly labels = new Map<string, string>();

  add(value: string | number | null, n: number, fold = false): void {
    const label = value === null || value === '' ? NONE : String(value);
    const key = fold ? label.toLowerCase() : label;
    if (!this.labels.has(key)) this.labels.set(key, label);
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  top(n: number): FacetBucket[] {
    return (
      [...this.counts]
        // A value whose records were all subtracted (complement.ts) is not among the search's.
        .filter(([, count]) => count > 0)
        .map(([key, count]) => ({ value: this.labels.get(key) ?? key, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
        .slice(0, n)
    );
  }
}

/** Thresholds of the plan choice; tests lower them to reach every plan with a few thousand rows. */
export interface FacetTuning {
  /** Matching vocabulary values per column up to which a substring is looked up by value. */
  readonly maxValues: number;
  /** Matching rows up to which they are grouped from the table after a bounded try. */
  readonly fewRows: number;
  /** Group the rows of the search's shared id set (match-ids.ts) when it has one; tests of the plans leave it out. */
  readonly ids?: boolean;
}

const TUNING: FacetTuning = { maxValues: MAX_RESOLVED_VALUES_AGGREGATE, fewRows: FEW_ROWS, ids: true };

/** The combos of the search's id set from record_facts (record-facts.ts), when it has both. */
function factsCombos(
  db: Database,
  filter: FilterModel,
  tuning: FacetTuning,
): { combos: Combo[]; plan: 'facts' } | null {
  const ids = tuning.ids === true ? matchIds(db, filter) : null;
  const found = ids === null ? null : idSetCombos(db, ids, 'counts');
  return found === null ? null : { combos: found.combos, plan: 'facts' };
}

/**
 * A search with negated terms as its rest's combos (summaries) and the subtracted set's combos
 * (record_facts) to take away (complement.ts); null when that does not apply.
 */
function complementCombos(
  db: Database,
  filter: FilterModel,
): { combos: unknown[][]; domains?: unknown[][]; minus: Combo[] } | null {
  const c = complementOf(db, filter);
  const summed = c === null ? null : summaryFacetCombos(db, c.rest);
  const minus = c === null || summed === null ? null : idSetCombos(db, c.minus, 'counts');
  return summed === null || minus === null ? null : { ...summed, minus: minus.combos };
}

/** The filter's WHERE clause for facets: the search's id set, or the filter itself (see facetWhere). */
function facetSource(db: Database, filter: FilterModel, tuning: FacetTuning): SqlPart {
  const ids = tuning.ids === true ? matchIds(db, filter) : null;
  return ids !== null ? idsPart(ids) : facetWhere(db, filter, tuning.maxValues);
}

/** The filter's WHERE clause for facets: every match is visited, so broad substrings may become id sets. */
function facetWhere(db: Database, filter: FilterModel, maxValues: number): SqlPart {
  const resolver: TextResolver = { ...createResolver(db, maxValues), visitsAll: true };
  return compileWhere(filter, resolver);
}

/** Facets plus the plan that computed them (tests check the choice; getFacets drops it). */
export function getFacetsWithPlan(
  db: Database,
  filter: FilterModel,
  top: number,
  tuning: FacetTuning = TUNING,
): { facets: Facets; plan: FacetPlan } {
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    throw new EngineError('INVALID_ARGUMENT', 'top must be between 1 and 1000', { path: 'top' });
  const whole = summaryFacetCombos(db, filter);
  const negative = whole === null ? complementCombos(db, filter) : null;
  const summed = whole ?? negative;
  const { combos, plan } =
    summed !== null
      ? {
          combos: summed.combos as Combo[],
          plan: negative !== null ? ('complement' as const) : ('summary' as const),
        }
      : (factsCombos(db, filter, tuning) ?? facetCombos(db, facetSource(db, filter, tuning), tuning.fewRows));
  const domains = summed?.domains as [string | null, number][] | undefined;
  const t = {
    s: new Tally(),
    ss: new Tally(),
    d: new Tally(),
    c: new Tally(),
    r: new Tally(),
    i: new Tally(),
    dom: new Tally(),
  };
  // One grouped pass (a few thousand combinations at most), summed up per facet.
  for (const [s, ss, d, code, r, i, dom, n] of combos) {
    t.s.add(s, n);
    t.ss.add(ss, n);
    t.d.add(d, n);
    t.c.add(code === null ? null : `${Math.floor(code / 100)}xx`, n);
    t.r.add(r, n);
    t.i.add(i, n);
    // Domains are counted case-insensitively: "Kunde.de" and "kunde.de" are one domain.
    if (domains === undefined) t.dom.add(dom, n, true);
  }
  for (const [dom, n] of domains ?? []) t.dom.add(dom, n, true);
  // The subtracted set's combos, after the rest's (whose labels stay).
  for (const [s, ss, d, code, r, i, dom, n] of negative?.minus ?? []) {
    t.s.add(s, -n);
    t.ss.add(ss, -n);
    t.d.add(d, -n);
    t.c.add(code === null ? null : `${Math.floor(code / 100)}xx`, -n);
    t.r.add(r, -n);
    t.i.add(i, -n);
    t.dom.add(dom, -n, true);
  }
  const facets: Facets = {
    status: t.s.top(top),
    substatus: t.ss.top(top),
    status_details: t.d.top(top),
    smtp_class: t.c.top(top),
    to_domain: t.dom.top(top),
    region: t.r.top(top),
    interface: t.i.top(top),
  };
  return { facets, plan };
}

/** All seven facets under the filter, top `top` values each. */
export function getFacets(db: Database, filter: FilterModel, top: number): Facets {
  return getFacetsWithPlan(db, filter, top).facets;
}
