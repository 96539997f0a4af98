/**
 * Writes the bench's workbook as Excel itself stores text: every string cell a `t="s"` index into
 * xl/sharedStrings.xml, which comes after the sheet in the zip. Repeated values (statuses, domains)
 * share an entry; the many unique ones (addresses, IDs) make a table of millions of strings, the case
 * the reader must spill to disk. Bench-only: the product writes inline strings.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Database } from 'better-sqlite3';
import { ZipFile } from 'yazl';
import { COLUMNS } from '../common/columns';
import { wallMsToSerial } from '../main/engine/xlsx/dates';
import { STYLE_DATE, styles } from '../main/engine/xlsx/parts';
import { columnLetters, escapeText } from '../main/engine/xlsx/xml';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
/** Distinct values remembered for sharing; beyond that a value gets a new entry (as if unique). */
const SHARE_LIMIT = 50_000;

async function put(s: WriteStream | PassThrough, text: string): Promise<void> {
  if (!s.write(text)) await once(s, 'drain');
}

export async function writeSharedStringWorkbook(db: Database, out: string, sstTemp: string): Promise<number> {
  const cols = COLUMNS.map((c) => (c.kind === 'time' ? `${c.id}_ms` : c.id));
  const letters = COLUMNS.map((_, i) => columnLetters(i));
  const zip = new ZipFile();
  const file = createWriteStream(out);
  zip.outputStream.pipe(file);
  const sheet = new PassThrough();
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml');
  const sst = createWriteStream(sstTemp);
  const index = new Map<string, number>();
  let next = 0;
  const ref = (v: string): number => {
    const hit = index.get(v);
    if (hit !== undefined) return hit;
    const i = next++;
    if (index.size < SHARE_LIMIT) index.set(v, i);
    // Not awaited per string: the row loop waits for the table file's drain after each chunk.
    sst.write(`<si><t xml:space="preserve">${escapeText(v)}</t></si>`);
    return i;
  };
  await put(sst, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${NS}">`);
  let chunk = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}"><sheetData><row r="1">`;
  COLUMNS.forEach((c, i) => (chunk += `<c r="${letters[i]}1" t="s"><v>${ref(c.header)}</v></c>`));
  chunk += '</row>';
  let r = 1;
  const stmt = db.prepare(`SELECT ${cols.join(', ')} FROM records ORDER BY id`).raw(true);
  for (const row of stmt.iterate() as Iterable<(string | number | null)[]>) {
    r++;
    chunk += `<row r="${r}">`;
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === null || v === '') continue;
      if (typeof v === 'number')
        chunk +=
          COLUMNS[i].kind === 'time'
            ? `<c r="${letters[i]}${r}" s="${STYLE_DATE}"><v>${wallMsToSerial(v)}</v></c>`
            : `<c r="${letters[i]}${r}"><v>${v}</v></c>`;
      else chunk += `<c r="${letters[i]}${r}" t="s"><v>${ref(v)}</v></c>`;
    }
    chunk += '</row>';
    if (chunk.length > 1 << 16) {
      await put(sheet, chunk);
      chunk = '';
      if (sst.writableNeedDrain) await once(sst, 'drain');
    }
  }
  await put(sheet, `${chunk}</sheetData></worksheet>`);
  sheet.end();
  sst.end('</sst>');
  await once(sst, 'close');
  zip.addFile(sstTemp, 'xl/sharedStrings.xml');
  const text = (s: string, name: string): void => zip.addBuffer(Buffer.from(s), name);
  text(styles(), 'xl/styles.xml');
  text(
    `<workbook xmlns="${NS}" xmlns:r="${R}"><sheets><sheet name="Report" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/workbook.xml',
  );
  text(
    `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${R}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/_rels/workbook.xml.rels',
  );
  text(
    `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    '_rels/.rels',
  );
  text(
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    '[Content_Types].xml',
  );
  zip.end();
  await once(file, 'close');
  return next;
}
