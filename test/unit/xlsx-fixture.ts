/** Hand-built workbooks for the xlsx tests: parts written in the order given, as another tool might. */
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { ZipFile } from 'yazl';
import { COLUMNS } from '../../common/columns';
import { SheetParser, type CellContext } from '../../main/engine/xlsx/sheet';
import { columnLetters, escapeText } from '../../main/engine/xlsx/xml';

/** Two reports written by openpyxl (copied from the project's shared samples; see their README.md). */
export const SAMPLES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'xlsx');
export const SAMPLE_INLINE = path.join(SAMPLES, 'delivery-report-inline-strings.xlsx');
export const SAMPLE_SHARED = path.join(SAMPLES, 'delivery-report-shared-strings.xlsx');

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export async function writeZip(file: string, parts: readonly (readonly [string, string])[]): Promise<void> {
  const zip = new ZipFile();
  for (const [name, text] of parts) zip.addBuffer(Buffer.from(text, 'utf8'), name);
  zip.end();
  const out = createWriteStream(file);
  zip.outputStream.pipe(out);
  await once(out, 'close');
}

/** An inline-string cell, or a raw cell when the value starts with '<c'. */
export function cell(col: number, row: number, v: string | number | null, style?: number): string {
  const ref = `${columnLetters(col)}${row}`;
  const s = style === undefined ? '' : ` s="${style}"`;
  if (v === null) return '';
  if (typeof v === 'string' && v.startsWith('<c ')) return v;
  if (typeof v === 'number') return `<c r="${ref}"${s}><v>${v}</v></c>`;
  return `<c r="${ref}" t="inlineStr"${s}><is><t>${escapeText(v)}</t></is></c>`;
}

export const HEADER_ROW = `<row r="1">${COLUMNS.map((c, i) => cell(i, 1, c.header)).join('')}</row>`;

export function sheetXml(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;
}

export interface WorkbookSpec {
  readonly sheets: readonly { readonly name: string; readonly xml: string }[];
  readonly sharedStrings?: readonly string[] | string;
  /** cellXfs numFmtIds; custom codes from id 164 on. */
  readonly xfs?: readonly number[];
  readonly numFmts?: Readonly<Record<number, string>>;
  readonly date1904?: boolean;
  /** Reverse the part order in the zip (shared strings and workbook last). */
  readonly reversed?: boolean;
}

export async function writeWorkbook(file: string, spec: WorkbookSpec): Promise<void> {
  const parts: [string, string][] = [];
  const types = spec.sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  parts.push([
    '[Content_Types].xml',
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${types}</Types>`,
  ]);
  parts.push([
    '_rels/.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ]);
  const sheets = spec.sheets.map(
    (s, i) => `<sheet name="${escapeText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
  );
  parts.push([
    'xl/workbook.xml',
    `<workbook xmlns="${NS}" xmlns:r="${R}"><workbookPr${spec.date1904 ? ' date1904="1"' : ''}/><sheets>${sheets.join('')}</sheets></workbook>`,
  ]);
  const n = spec.sheets.length;
  let rels = spec.sheets
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="${R}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join('');
  rels += `<Relationship Id="rId${n + 1}" Type="${R}/styles" Target="styles.xml"/>`;
  if (spec.sharedStrings !== undefined)
    rels += `<Relationship Id="rId${n + 2}" Type="${R}/sharedStrings" Target="sharedStrings.xml"/>`;
  parts.push([
    'xl/_rels/workbook.xml.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
  ]);
  const fmts = Object.entries(spec.numFmts ?? {})
    .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeText(code)}"/>`)
    .join('');
  const xfs = (spec.xfs ?? [0])
    .map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0"/>`)
    .join('');
  parts.push([
    'xl/styles.xml',
    `<styleSheet xmlns="${NS}"><numFmts>${fmts}</numFmts><cellXfs>${xfs}</cellXfs></styleSheet>`,
  ]);
  spec.sheets.forEach((s, i) => parts.push([`xl/worksheets/sheet${i + 1}.xml`, s.xml]));
  if (spec.sharedStrings !== undefined) {
    const body =
      typeof spec.sharedStrings === 'string'
        ? spec.sharedStrings
        : spec.sharedStrings.map((s) => `<si><t xml:space="preserve">${escapeText(s)}</t></si>`).join('');
    parts.push(['xl/sharedStrings.xml', `<sst xmlns="${NS}">${body}</sst>`]);
  }
  await writeZip(file, spec.reversed ? parts.reverse() : parts);
}

/** A full data row in export column order: `values` by column id, the rest filled plausibly. */
export function dataRow(
  row: number,
  values: Readonly<Record<string, string | number | null>>,
  dateStyle = 1,
): string {
  const base: Record<string, string | number | null> = {
    creation_time: 46314.5,
    message_from: 'info@news.shop.de',
    message_to: `user${row}@example.org`,
    status: 'OK',
    substatus: 'DELIVERED',
    status_details: 'OK',
    correlation_id: `corr-${row}`,
    message_size: 1000 + row,
    version: 1,
  };
  const all = { ...base, ...values };
  const cells = COLUMNS.map((c, i) => {
    const v = all[c.id] ?? null;
    return cell(i, row, v, c.kind === 'time' && typeof v === 'number' ? dateStyle : undefined);
  });
  return `<row r="${row}">${cells.join('')}</row>`;
}

/** A sheet's cell context without shared strings; style 1 is a date. */
export const CTX: CellContext = { strings: null, dateStyles: [false, true], date1904: false, zone: null };

/** The rows a parser gives for `chunks`, with its shortcut (`fast`) or through the general path. */
export function sheetRows(chunks: readonly string[], fast: boolean): { row: number; cells: string[] }[] {
  const p = new SheetParser(CTX);
  // The general path: the same parser with its shortcut switched off.
  if (!fast) Object.defineProperty(p, 'fast', { value: undefined });
  const out = chunks.flatMap((c) => p.write(c));
  out.push(...p.end());
  assert.equal(p.error, null);
  return out;
}

/** The bytes cut at the given offsets (taken modulo length + 1, sorted; repeats give empty chunks), each chunk a copy. */
export function chunksOf(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const at = cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of at) {
    out.push(Buffer.from(bytes.subarray(from, c)));
    from = c;
  }
  out.push(Buffer.from(bytes.subarray(from)));
  return out;
}
