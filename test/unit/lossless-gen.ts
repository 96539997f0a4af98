/**
 * fast-check generators for the "nothing lost" properties: random valid exports with odd but legal
 * content (quotes, every delimiter, CR/LF/CRLF inside fields and as line ends, control characters,
 * NUL, U+001F, non-ASCII, fields from empty to hundreds of KiB) mixed with bad rows of every kind,
 * serialised with the line of each record known, so the importer's answer can be checked exactly.
 */
import fc from 'fast-check';
import { COLUMN_IDS, COLUMNS, type ColumnId } from '../../common/columns';
import { countBreaks } from '../../main/engine/import/csv-scan';

export type Delim = ',' | ';' | '\t' | '|';
export type Eol = '\n' | '\r\n' | '\r';

const PLAIN = 'abcdefghijklmnopqrstuvwxyz0123456789 .@-_:'.split('');
const ODD = [',', ';', '"', '\t', '|', '\r', '\n', '\r\n', '""'];
const RARE = [
  '\u001f',
  '\u0000',
  '\u0001',
  '\u00a0',
  '\ufeff',
  'ä',
  'ß',
  '€',
  '😀',
  '\u2028',
  '\\',
  "'",
  '=',
];

const char = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...PLAIN) },
  { weight: 4, arbitrary: fc.constantFrom(...ODD) },
  { weight: 3, arbitrary: fc.constantFrom(...RARE) },
);
const shortText = fc.array(char, { maxLength: 24 }).map((a) => a.join(''));
/** Past the parser's 256 KiB hold size now and then, so long records cross many chunks. */
const longText = fc
  .tuple(fc.integer({ min: 1, max: 300_000 }), shortText)
  .map(([n, s]) => `${'x'.repeat(n)}${s}${'y'.repeat(n % 997)}`);
const text = fc.oneof({ weight: 150, arbitrary: shortText }, { weight: 1, arbitrary: longText });
const lineFree = shortText.map((s) => s.replace(/[\r\n]/g, ' '));

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** Times in the forms exports use, years 0001-9999 (the early ones catch Date.UTC's 19xx mapping). */
const timestamp = fc
  .tuple(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_000 }), fc.integer({ min: 0, max: 3 }))
  .map(([ms, form]) => {
    const d = new Date(ms);
    const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const frac = pad(d.getUTCMilliseconds(), 3);
    if (form === 0) return `${date} ${time}`;
    if (form === 1) return `${date} ${time}.${frac}`;
    if (form === 2) return `${date}T${time}.${frac}Z`;
    return `${date}T${time}+02:00`;
  });
/** Whole numbers, now and then as Excel or a person writes them ("007", " 12 "). */
const whole = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.nat({ max: 2_000_000_000 }).map(String) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat({ max: 9999 }), fc.constantFrom('0', '00', ' ', '  '))
      .map(([n, p]) => (p.trim() === '' ? `${p}${n}${p}` : `${p}${n}`)),
  },
);
/** Enum values in their documented spelling, or in another case / with spaces, or undocumented. */
function enumArb(values: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...values) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...values),
          fc.constantFrom('lower', 'upper', 'title'),
          fc.constantFrom('', ' ', '  '),
        )
        .map(([v, c, sp]) => {
          const t =
            c === 'lower'
              ? v.toLowerCase()
              : c === 'upper'
                ? v.toUpperCase()
                : v[0].toUpperCase() + v.slice(1).toLowerCase();
          return `${sp}${t}${sp.length > 1 ? ' ' : ''}`;
        }),
    },
    { weight: 1, arbitrary: fc.constantFrom('Pending', 'unknown', ' x ') },
  );
}

function columnArb(id: ColumnId, lines: boolean): fc.Arbitrary<string> {
  const def = COLUMNS.find((c) => c.id === id)!;
  if (def.kind === 'time') return id === 'creation_time' ? timestamp : fc.oneof(fc.constant(''), timestamp);
  if (def.kind === 'integer') return whole;
  if (def.kind === 'enum' && def.values) return enumArb(def.values);
  return lines ? text : lineFree;
}

export const goodRow = (lines = true): fc.Arbitrary<string[]> =>
  fc.tuple(...COLUMN_IDS.map((id) => columnArb(id, lines)));

export type BadKind = 'too-few' | 'too-many' | 'bad-time' | 'empty-time' | 'bad-number';

export interface GenRow {
  readonly fields: readonly string[];
  /** Undefined for a good row; the expected kind of rejection otherwise. */
  readonly bad?: BadKind;
  readonly eol: Eol;
  /** Quote every field (else only those that need it). */
  readonly quoteAll: boolean;
  /** Blank lines after the row. */
  readonly blanks: number;
  /** Repeat an earlier good row instead (a duplicate). */
  readonly dupOf?: number;
}

const badRow: fc.Arbitrary<{ fields: string[]; bad: BadKind }> = fc
  .tuple(
    goodRow(false),
    fc.constantFrom<BadKind>('too-few', 'too-many', 'bad-time', 'empty-time', 'bad-number'),
  )
  .map(([f, bad]) => {
    const fields = [...f];
    if (bad === 'too-few') fields.pop();
    else if (bad === 'too-many') fields.push('extra');
    else if (bad === 'bad-time') fields[0] = '2026-13-45 99:00:00';
    else if (bad === 'empty-time') fields[0] = '';
    else fields[COLUMN_IDS.indexOf('message_size')] = '12x';
    return { fields, bad };
  });

export const genRow: fc.Arbitrary<GenRow> = fc
  .record({
    kind: fc.oneof(
      { weight: 12, arbitrary: goodRow().map((fields) => ({ fields })) },
      { weight: 2, arbitrary: badRow },
      { weight: 1, arbitrary: fc.nat().map((dupOf) => ({ fields: [] as string[], dupOf })) },
    ),
    eol: fc.constantFrom<Eol>('\n', '\r\n', '\r'),
    quoteAll: fc.boolean(),
    blanks: fc.oneof(
      { weight: 8, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) },
    ),
  })
  .map(({ kind, eol, quoteAll, blanks }) => ({ ...kind, eol, quoteAll, blanks }));

export function csvField(v: string, delim: Delim, quoteAll: boolean): string {
  if (quoteAll || v.includes(delim) || /["\r\n]/.test(v)) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

export interface Expected {
  readonly text: string;
  /** Good records in file order: line and fields (duplicates included, flagged). */
  readonly good: { line: number; fields: readonly string[]; duplicate: boolean }[];
  readonly bad: { line: number; kind: BadKind | 'unterminated' }[];
}

/** Serialises header + rows; `openQuoteAtEnd` ends the file inside an unterminated quote. */
export function serialise(
  rows: readonly GenRow[],
  delim: Delim,
  opts: { finalEol: boolean; openQuoteAtEnd: boolean },
): Expected {
  let out = `${COLUMNS.map((c) => c.header).join(delim)}\r\n`;
  // Pieces never start with an LF (a field holding one is quoted), so their breaks simply add up.
  let breaks = 1;
  const append = (piece: string): void => {
    out += piece;
    breaks += countBreaks(piece, 0, piece.length);
  };
  const good: Expected['good'] = [];
  const bad: Expected['bad'] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const line = breaks + 1;
    let fields = r.fields;
    if (r.dupOf !== undefined) {
      if (good.length === 0) return;
      fields = good[r.dupOf % good.length].fields;
    }
    if (r.bad === undefined) {
      const key = JSON.stringify(fields);
      good.push({ line, fields, duplicate: seen.has(key) });
      seen.add(key);
    } else bad.push({ line, kind: r.bad });
    append(fields.map((f) => csvField(f, delim, r.quoteAll)).join(delim));
    const last = i === rows.length - 1;
    if (!last || opts.finalEol) append(r.eol.repeat(1 + r.blanks));
  });
  if (opts.openQuoteAtEnd) {
    if (!out.endsWith('\n') && !out.endsWith('\r')) append('\n');
    bad.push({ line: breaks + 1, kind: 'unterminated' });
    out += `2026-10-01 10:00:00${delim}"never closed${delim}x`;
  }
  return { text: out, good, bad };
}

/**
 * Where to cut the bytes into chunks: random points anywhere in the file, each followed by one- and
 * two-byte chunks (to split characters and CRLFs), and no chunk longer than 128 KiB in between.
 */
export const chunking = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 });

export function chunks(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = new Set<number>();
  for (const c of cuts) {
    const at = Math.floor(c * bytes.length);
    for (const p of [at, at + 1, at + 3]) if (p > 0 && p < bytes.length) points.add(p);
  }
  const sorted = [...points].sort((a, b) => a - b);
  sorted.push(bytes.length);
  const out: Buffer[] = [];
  let from = 0;
  for (const to of sorted) {
    for (let at = from; at < to; at += 128 * 1024)
      out.push(bytes.subarray(at, Math.min(to, at + 128 * 1024)));
    from = to;
  }
  return out;
}

/** The instant a generated timestamp stands for, read independently of the importer (zone-less = UTC). */
export function expectedMs(text: string): number {
  return Date.parse(/[Zz]|[+-]\d{2}:\d{2}$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
