/**
 * The view's filter state and its translation to the contract's FilterModel. Facet clicks become
 * structured conditions (enum sets) or search terms (recipient domain, SMTP class have no enum column),
 * AG Grid's own column filter model becomes ColumnConditions; the engine sees one FilterModel.
 */
import { isColumnId, type ColumnId } from '../../common/columns';
import { localMs as localDateMs } from '../../common/dates';
import type { ColumnCondition, FacetName, FilterModel, TextOp } from '../../common/contract';
import { wallToInstant } from '../../common/time-zone';
import { displayZone } from './zone/displayZone';

export interface FacetPick {
  readonly facet: FacetName;
  readonly value: string;
  readonly exclude: boolean;
}

export interface ViewFilter {
  readonly q: string;
  readonly picks: readonly FacetPick[];
  readonly grid: readonly ColumnCondition[];
  readonly timeFrom?: number;
  readonly timeTo?: number;
}

export const EMPTY_FILTER: ViewFilter = { q: '', picks: [] as FacetPick[], grid: [] as ColumnCondition[] };

const FACET_COLUMN: Partial<Record<FacetName, ColumnId>> = {
  status: 'status',
  substatus: 'substatus',
  status_details: 'status_details',
  region: 'processing_region',
  interface: 'entry_interface',
};
const FACET_FIELD: Partial<Record<FacetName, string>> = { to_domain: 'domain', smtp_class: 'smtp' };

export const FACET_LABELS: Record<FacetName, string> = {
  status: 'Status',
  substatus: 'Substatus',
  status_details: 'Status details',
  smtp_class: 'SMTP class',
  to_domain: 'Recipient domain',
  region: 'Region',
  interface: 'Interface',
};

/** A value as one search-syntax token: quoted when it holds spaces or quotes. */
export function searchValue(value: string): string {
  return /^[^\s"():]+$/.test(value) ? value : `"${value.replace(/"/g, '')}"`;
}

function pickTerms(picks: readonly FacetPick[]): string[] {
  const terms: string[] = [];
  for (const p of picks) {
    const field = FACET_FIELD[p.facet];
    if (field) terms.push(`${p.exclude ? '-' : ''}${field}:${searchValue(p.value)}`);
  }
  return terms;
}

function pickConditions(picks: readonly FacetPick[]): ColumnCondition[] {
  const out: ColumnCondition[] = [];
  for (const exclude of [false, true]) {
    const byColumn = new Map<ColumnId, string[]>();
    for (const p of picks) {
      const column = FACET_COLUMN[p.facet];
      if (!column || p.exclude !== exclude) continue;
      byColumn.set(column, [...(byColumn.get(column) ?? []), p.value]);
    }
    for (const [column, values] of byColumn)
      out.push({ type: 'enum', column, values, ...(exclude ? { negate: true } : {}) });
  }
  return out;
}

export function toFilterModel(v: ViewFilter, timeZone = displayZone()): FilterModel {
  // The user's own text comes first so syntax error positions still point into the search box.
  const q = [v.q.trim(), ...pickTerms(v.picks)].filter(Boolean).join(' ');
  const conditions = [...pickConditions(v.picks), ...v.grid];
  return {
    ...(q ? { q } : {}),
    ...(conditions.length ? { conditions } : {}),
    ...(v.timeFrom != null ? { timeFrom: v.timeFrom } : {}),
    ...(v.timeTo != null ? { timeTo: v.timeTo } : {}),
    // Typed dates (after:/before:) mean the wall clock the grid shows.
    ...(q ? { timeZone } : {}),
  };
}

export function togglePick(picks: readonly FacetPick[], pick: FacetPick): FacetPick[] {
  const same = (p: FacetPick): boolean => p.facet === pick.facet && p.value === pick.value;
  const existing = picks.find(same);
  if (existing && existing.exclude === pick.exclude) return picks.filter((p) => !same(p));
  return [...picks.filter((p) => !same(p)), pick];
}

// ---------------------------------------------------------------- AG Grid filter model

export interface EnumFilterModel {
  readonly values: readonly string[];
  readonly negate: boolean;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** AG Grid's date filter gives "YYYY-MM-DD hh:mm:ss": a wall-clock time, as UTC ms of that wall clock. */
function wallMs(v: unknown): number | undefined {
  const s = str(v);
  if (!s) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0));
  return localDateMs(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, se ?? 0);
}

const DAY = 86_400_000;

/** The instant a grid date (plus whole days) means in the display zone: a day there is midnight to midnight. */
function dayStart(wall: number | undefined, days = 0): number | undefined {
  return wall == null ? undefined : wallToInstant(wall + days * DAY, displayZone());
}

function textCondition(column: ColumnId, m: Json): ColumnCondition | null {
  const value = str(m.filter);
  if (!value) return null;
  const t = str(m.type) ?? 'contains';
  const map: Record<string, [TextOp, boolean]> = {
    contains: ['contains', false],
    notContains: ['contains', true],
    equals: ['equals', false],
    notEqual: ['equals', true],
    startsWith: ['startsWith', false],
  };
  const [op, negate] = map[t] ?? ['contains', false];
  return { type: 'text', column, op, value, ...(negate ? { negate } : {}) };
}

function numberCondition(column: ColumnId, m: Json): ColumnCondition | null {
  const a = num(m.filter);
  const b = num(m.filterTo);
  switch (str(m.type)) {
    case 'inRange':
      return { type: 'number', column, min: a, max: b };
    case 'greaterThanOrEqual':
    case 'greaterThan':
      return { type: 'number', column, min: a };
    case 'lessThanOrEqual':
    case 'lessThan':
      return { type: 'number', column, max: a };
    case 'equals':
      return { type: 'number', column, min: a, max: a };
    default:
      return null;
  }
}

function timeCondition(column: ColumnId, m: Json): ColumnCondition | null {
  const a = wallMs(m.dateFrom);
  const b = wallMs(m.dateTo);
  switch (str(m.type)) {
    case 'inRange':
      return { type: 'time', column, from: dayStart(a), to: dayStart(b, 1) };
    case 'greaterThan':
      return { type: 'time', column, from: dayStart(a, 1) };
    case 'lessThan':
      return { type: 'time', column, to: dayStart(a) };
    case 'equals':
      return a != null ? { type: 'time', column, from: dayStart(a), to: dayStart(a, 1) } : null;
    default:
      return null;
  }
}

export function gridFilterToConditions(model: Record<string, unknown>): ColumnCondition[] {
  const out: ColumnCondition[] = [];
  for (const [key, raw] of Object.entries(model)) {
    if (!isColumnId(key) || typeof raw !== 'object' || raw === null) continue;
    const m = raw as Json;
    let c: ColumnCondition | null = null;
    if (Array.isArray(m.values)) {
      const values = m.values.filter((x): x is string => typeof x === 'string');
      if (values.length)
        c = { type: 'enum', column: key, values, ...(m.negate === true ? { negate: true } : {}) };
    } else if (m.filterType === 'text') c = textCondition(key, m);
    else if (m.filterType === 'number') c = numberCondition(key, m);
    else if (m.filterType === 'date') c = timeCondition(key, m);
    if (c) out.push(c);
  }
  return out;
}
