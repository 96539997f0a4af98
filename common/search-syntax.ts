/**
 * The search-box syntax, shared by the engine (which turns it into SQL) and the renderer (which
 * shows inline errors and field suggestions while the user types). Pure TypeScript: no Node, no DOM.
 *
 *   jane@kunde.de                free word: substring of recipient, sender, domains, SMTP text,
 *                                or exactly a Correlation / Job / Usage ID
 *   "user unknown"               quoted phrase, same as a free word but may contain spaces
 *   to:jane  from:billing        field:value (see SEARCH_FIELDS)
 *   status:error -details:ok     -field:value excludes
 *   smtp:550  smtp:5.1.1  smtp:5xx
 *   after:2026-10-05  before:"2026-10-06 12:00"  (in the display zone unless an offset is given)
 *   size>100000  size<=5000
 *
 * The same field twice means OR (`status:ok status:error`), different fields and free words AND.
 * Exclusions and ranges (after, before, size) always AND.
 */
import { utcMs } from './dates';
import { canonicalValue } from './enum-values';
import { FIELD_BY_NAME, VALID_FIELD_NAMES, type SearchField } from './search-fields';
import { wallToInstant } from './time-zone';

export {
  SEARCH_FIELDS,
  suggestFields,
  VALID_FIELD_NAMES,
  type SearchField,
  type SearchFieldKind,
} from './search-fields';
export type CompareOp = ':' | '>' | '<' | '>=' | '<=';

/** One parsed term; `start`/`end` are offsets into the query string (end exclusive). */
export type SearchTerm =
  | {
      readonly kind: 'text';
      readonly value: string;
      readonly negate: boolean;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'field';
      readonly field: SearchField;
      readonly op: CompareOp;
      /** Canonical value: enum values folded as stored (common/enum-values.ts), smtp/date/size normalised. */
      readonly value: string;
      /** For after:/before: epoch ms; for size: bytes; for smtp: see `smtp`. */
      readonly number?: number;
      readonly smtp?: SmtpQuery;
      readonly negate: boolean;
      readonly start: number;
      readonly end: number;
    };

export type SmtpQuery =
  | { readonly type: 'basic'; readonly code: number }
  | { readonly type: 'class'; readonly cls: number }
  | { readonly type: 'enhanced'; readonly code: string };

export interface SearchSyntaxErrorInfo {
  readonly message: string;
  readonly term: string;
  readonly start: number;
  readonly end: number;
  readonly validFields: readonly string[];
}

export class SearchSyntaxError extends Error {
  constructor(readonly info: SearchSyntaxErrorInfo) {
    super(info.message);
    this.name = 'SearchSyntaxError';
  }
}

export type ParseOutcome =
  | { readonly ok: true; readonly terms: readonly SearchTerm[] }
  | { readonly ok: false; readonly error: SearchSyntaxErrorInfo };

export interface ParseOptions {
  /**
   * The zone of typed dates without an offset (after:2026-10-05 means midnight there): the display
   * zone, so a search selects what the grid shows. Default UTC.
   */
  readonly timeZone?: string;
}

export function tryParseSearch(q: string, opts: ParseOptions = {}): ParseOutcome {
  try {
    return { ok: true, terms: parseSearch(q, opts) };
  } catch (err) {
    if (err instanceof SearchSyntaxError) return { ok: false, error: err.info };
    throw err;
  }
}

/**
 * The query without the given terms (parsed from it): each term's text becomes a space, so the other
 * terms keep their text and their separation.
 */
export function withoutTerms(q: string, terms: readonly SearchTerm[]): string {
  let rest = q;
  for (const t of [...terms].sort((a, b) => b.start - a.start))
    rest = `${rest.slice(0, t.start)} ${rest.slice(t.end)}`;
  return rest;
}

/** Parses the search syntax; throws SearchSyntaxError pointing at the offending term. */
export function parseSearch(q: string, opts: ParseOptions = {}): SearchTerm[] {
  const terms: SearchTerm[] = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i])) {
      i++;
      continue;
    }
    const start = i;
    let negate = false;
    if (q[i] === '-' && i + 1 < q.length && !/\s/.test(q[i + 1])) {
      negate = true;
      i++;
    }
    const head = /^([A-Za-z]+)(>=|<=|:|>|<)/.exec(q.slice(i));
    if (head) {
      const name = head[1].toLowerCase();
      const op = head[2] as CompareOp;
      const valueStart = i + head[0].length;
      const read = readValue(q, valueStart, start);
      const end = read.end;
      const fail = (message: string): never => {
        throw new SearchSyntaxError({
          message,
          term: q.slice(start, end),
          start,
          end,
          validFields: VALID_FIELD_NAMES,
        });
      };
      const field = FIELD_BY_NAME.get(name);
      if (!field) {
        fail(
          `Unknown field "${name}" in "${q.slice(start, end)}". Valid fields: ${VALID_FIELD_NAMES.join(', ')}. To search for the text itself, put it in quotes.`,
        );
      } else {
        if (read.value === '') fail(`"${name}${op}" needs a value, e.g. ${field.example}`);
        terms.push(fieldTerm(field, op, read.value, negate, start, end, fail, opts.timeZone));
      }
      i = end;
      continue;
    }
    const read = readValue(q, i, start);
    if (read.value === '') {
      throw new SearchSyntaxError({
        message: 'Nothing to search for after "-"',
        term: q.slice(start, read.end),
        start,
        end: read.end,
        validFields: VALID_FIELD_NAMES,
      });
    }
    terms.push({ kind: 'text', value: read.value, negate, start, end: read.end });
    i = read.end;
  }
  return terms;
}

/** A quoted string (`\"` and `\\` escapes) or a run of non-space characters. */
function readValue(q: string, at: number, termStart: number): { value: string; end: number } {
  if (q[at] !== '"') {
    let end = at;
    while (end < q.length && !/\s/.test(q[end])) end++;
    return { value: q.slice(at, end), end };
  }
  let value = '';
  let j = at + 1;
  while (j < q.length && q[j] !== '"') {
    if (q[j] === '\\' && j + 1 < q.length) j++;
    value += q[j];
    j++;
  }
  if (j >= q.length) {
    throw new SearchSyntaxError({
      message: 'Missing closing quote (")',
      term: q.slice(termStart),
      start: termStart,
      end: q.length,
      validFields: VALID_FIELD_NAMES,
    });
  }
  return { value, end: j + 1 };
}

function fieldTerm(
  field: SearchField,
  op: CompareOp,
  raw: string,
  negate: boolean,
  start: number,
  end: number,
  fail: (message: string) => never,
  timeZone: string | undefined,
): SearchTerm {
  const base = { kind: 'field' as const, field, op, negate, start, end };
  if (op !== ':' && field.kind !== 'size')
    fail(`"${field.name}" takes "${field.name}:value"; ${op} works only with size`);
  switch (field.kind) {
    case 'contains':
    case 'equals':
      return { ...base, value: raw };
    case 'enum':
      // Any value: folded as the import folds it, so undocumented values stored by an import are found too.
      return { ...base, value: canonicalValue(field.column, raw) };
    case 'smtp': {
      const smtp = parseSmtpQuery(raw);
      if (!smtp)
        fail(
          `"${raw}" is not an SMTP code. Use a basic code (550), an enhanced code (5.1.1) or a class (5xx)`,
        );
      return { ...base, value: raw.toLowerCase(), smtp };
    }
    case 'date': {
      const ms = parseDateValue(raw, timeZone);
      if (ms === null)
        fail(`"${raw}" is not a date. Use 2026-10-05, "2026-10-05 14:30" or 2026-10-05T14:30:00+02:00`);
      return { ...base, value: raw, number: ms };
    }
    case 'size': {
      if (!/^\d{1,15}$/.test(raw))
        fail(`"${raw}" is not a size in bytes; use a whole number, e.g. size>100000`);
      return { ...base, value: raw, number: Number(raw) };
    }
  }
}

function parseSmtpQuery(raw: string): SmtpQuery | null {
  if (/^[245]\d\d$/.test(raw)) return { type: 'basic', code: Number(raw) };
  if (/^[245]xx$/i.test(raw)) return { type: 'class', cls: Number(raw[0]) };
  if (/^[245]\.\d{1,3}\.\d{1,3}$/.test(raw)) return { type: 'enhanced', code: raw };
  return null;
}

/**
 * `YYYY-MM-DD`, optionally `[T ]HH:MM[:SS[.fff]]` and `Z` / `±HH:MM`; without an offset, the wall clock
 * of `timeZone` (default UTC).
 */
export function parseDateValue(raw: string, timeZone = 'UTC'): number | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      raw,
    );
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  let ms = utcMs(y, mo - 1, d, h, mi, s, Number((m[7] ?? '0').padEnd(3, '0')));
  if (new Date(ms).getUTCDate() !== d) return null;
  const tz = m[8];
  if (!tz) return wallToInstant(ms, timeZone);
  if (tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}
