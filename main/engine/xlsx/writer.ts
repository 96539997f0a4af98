/**
 * A streaming .xlsx writer on yazl: rows go straight into a deflated sheet entry, so memory stays
 * flat however many rows there are. Strings are inline strings (no shared-string table to hold in
 * memory) and never formulas: a cell is a formula only when it has an `<f>` element, which this
 * writer never emits, so text such as `=HYPERLINK(...)` stays text and needs no guard.
 */
import { PassThrough } from 'node:stream';
import { ZipFile } from 'yazl';
import { wallMsToSerial, ZoneOffsets } from './dates';
import {
  comments,
  contentTypes,
  rootRels,
  sheetRels,
  STYLE_DATE,
  STYLE_HEADER,
  styles,
  vmlDrawing,
  workbook,
  workbookRels,
  type Note,
} from './parts';
import { columnLetters, escapeText } from './xml';

export type XlsxColumnType = 'text' | 'number' | 'time';
export interface XlsxColumn {
  readonly header: string;
  readonly type: XlsxColumnType;
}
/** A value per column: epoch ms for time columns, numbers for number columns, else text. */
export type XlsxValue = string | number | null;

export interface XlsxWriterOptions {
  readonly columns: readonly XlsxColumn[];
  readonly sheetName: string;
  /** IANA zone the times are shown in; stated in a note on each time column's header cell. */
  readonly timeZone: string;
  /** Data rows per sheet before the next sheet starts; Excel's limit by default. */
  readonly rowsPerSheet?: number;
}

export interface XlsxSummary {
  readonly rows: number;
  readonly sheets: number;
  readonly truncatedCells: number;
}

/** Excel's sheet has 1,048,576 rows; one is the header. */
export const MAX_DATA_ROWS = 1_048_575;
/** Excel's limit for the text of one cell. */
export const MAX_CELL_CHARS = 32_767;
export const TRUNCATION_MARKER = ' …[truncated]';
/** Rows looked at for column widths before the first sheet is started (its <cols> come first). */
const WIDTH_SAMPLE = 1000;
const MAX_WIDTH = 60;
const CHUNK_CHARS = 64 * 1024;

export function truncateCell(s: string): string {
  let cut = MAX_CELL_CHARS - TRUNCATION_MARKER.length;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--; // never split a surrogate pair
  return s.slice(0, cut) + TRUNCATION_MARKER;
}

export class XlsxWriter {
  private readonly zip = new ZipFile();
  private readonly pump: Promise<void>;
  private readonly letters: string[];
  private readonly zone: ZoneOffsets;
  private readonly perSheet: number;
  private sample: XlsxValue[][] | null = [];
  private widths: number[] = [];
  private sheet: PassThrough | null = null;
  private readonly sheetNames: { name: string; filterRef: string }[] = [];
  private rowInSheet = 0;
  private chunk = '';
  private rows = 0;
  private truncated = 0;

  constructor(
    sink: (chunk: Buffer) => Promise<void>,
    private readonly opts: XlsxWriterOptions,
  ) {
    this.letters = opts.columns.map((_, i) => columnLetters(i));
    this.zone = new ZoneOffsets(opts.timeZone);
    this.perSheet = opts.rowsPerSheet ?? MAX_DATA_ROWS;
    this.pump = (async () => {
      for await (const chunk of this.zip.outputStream as AsyncIterable<Buffer>) await sink(chunk);
    })();
    // Keep a rejection from surfacing as unhandled before finish() awaits it.
    this.pump.catch(() => undefined);
  }

  async addRow(values: readonly XlsxValue[]): Promise<void> {
    if (this.sample !== null) {
      this.sample.push([...values]);
      if (this.sample.length >= WIDTH_SAMPLE) await this.flushSample();
      return;
    }
    if (this.sheet === null || this.rowInSheet >= this.perSheet) await this.startSheet();
    this.rowInSheet++;
    this.rows++;
    this.chunk += this.rowXml(values, this.rowInSheet + 1);
    if (this.chunk.length >= CHUNK_CHARS) await this.writeChunk();
  }

  async finish(): Promise<XlsxSummary> {
    if (this.sample !== null) await this.flushSample();
    if (this.sheet === null) await this.startSheet();
    await this.endSheet();
    const n = this.sheetNames.length;
    const noteFlags = this.sheetNames.map(() => this.timeNotes().length > 0);
    this.zip.addBuffer(Buffer.from(workbook(this.sheetNames)), 'xl/workbook.xml');
    this.zip.addBuffer(Buffer.from(workbookRels(n)), 'xl/_rels/workbook.xml.rels');
    this.zip.addBuffer(Buffer.from(styles()), 'xl/styles.xml');
    this.zip.addBuffer(Buffer.from(contentTypes(n, noteFlags)), '[Content_Types].xml');
    this.zip.addBuffer(Buffer.from(rootRels()), '_rels/.rels');
    this.zip.end();
    await this.pump;
    return { rows: this.rows, sheets: n, truncatedCells: this.truncated };
  }

  /** Stops writing; the sink gets nothing more. */
  abort(): void {
    this.sheet?.destroy();
    (this.zip.outputStream as unknown as PassThrough).destroy();
  }

  private async flushSample(): Promise<void> {
    const sample = this.sample ?? [];
    this.sample = null;
    this.widths = this.opts.columns.map((c, i) => {
      let w = c.header.length + 2;
      if (c.type === 'time') w = Math.max(w, 20);
      for (const row of sample) {
        const v = row[i];
        const len = v === null || v === undefined ? 0 : c.type === 'time' ? 19 : String(v).length;
        if (len + 1 > w) w = len + 1;
      }
      return Math.min(w, MAX_WIDTH);
    });
    for (const row of sample) await this.addRow(row);
  }

  private timeNotes(): Note[] {
    const notes: Note[] = [];
    this.opts.columns.forEach((c, i) => {
      if (c.type === 'time')
        notes.push({
          ref: `${this.letters[i]}1`,
          text: `Time zone: ${this.opts.timeZone}. Times in this column are shown in this zone.`,
        });
    });
    return notes;
  }

  private async startSheet(): Promise<void> {
    if (this.sheet !== null) await this.endSheet();
    const index = this.sheetNames.length + 1;
    const name = index === 1 ? this.opts.sheetName : `${this.opts.sheetName} ${index}`;
    this.sheetNames.push({ name, filterRef: '' });
    this.sheet = new PassThrough();
    this.zip.addReadStream(this.sheet, `xl/worksheets/sheet${index}.xml`);
    const notes = this.timeNotes();
    if (notes.length > 0) {
      this.zip.addBuffer(Buffer.from(comments(notes)), `xl/comments${index}.xml`);
      const at = this.opts.columns.flatMap((c, col) => (c.type === 'time' ? [{ row: 0, col }] : []));
      this.zip.addBuffer(Buffer.from(vmlDrawing(at)), `xl/drawings/vmlDrawing${index}.vml`);
      this.zip.addBuffer(Buffer.from(sheetRels(index)), `xl/worksheets/_rels/sheet${index}.xml.rels`);
    }
    let s =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
      '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><cols>';
    this.widths.forEach((w, i) => (s += `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`));
    s += '</cols><sheetData><row r="1">';
    this.opts.columns.forEach((c, i) => {
      s += `<c r="${this.letters[i]}1" t="inlineStr" s="${STYLE_HEADER}"><is><t>${escapeText(c.header)}</t></is></c>`;
    });
    this.chunk = `${s}</row>`;
    this.rowInSheet = 0;
  }

  private async endSheet(): Promise<void> {
    const sheet = this.sheet;
    if (sheet === null) return;
    const last = this.letters[this.letters.length - 1];
    const ref = `A1:${last}${this.rowInSheet + 1}`;
    this.sheetNames[this.sheetNames.length - 1].filterRef = ref;
    const noteRef = this.timeNotes().length > 0 ? '<legacyDrawing r:id="rId2"/>' : '';
    this.chunk += `</sheetData><autoFilter ref="${ref}"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>${noteRef}</worksheet>`;
    await this.writeChunk();
    sheet.end();
    this.sheet = null;
  }

  private async writeChunk(): Promise<void> {
    const sheet = this.sheet;
    if (sheet === null || this.chunk === '') return;
    const ok = sheet.write(this.chunk);
    this.chunk = '';
    if (!ok) await new Promise<void>((resolve) => sheet.once('drain', resolve));
  }

  private rowXml(values: readonly XlsxValue[], r: number): string {
    let s = `<row r="${r}">`;
    const cols = this.opts.columns;
    for (let i = 0; i < cols.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || v === '') continue;
      const ref = this.letters[i] + r;
      if (typeof v === 'number') {
        if (cols[i].type === 'time' && Number.isFinite(v))
          s += `<c r="${ref}" s="${STYLE_DATE}"><v>${wallMsToSerial(this.zone.toWall(v))}</v></c>`;
        else if (Number.isFinite(v)) s += `<c r="${ref}"><v>${v}</v></c>`;
        continue;
      }
      let text = v;
      if (text.length > MAX_CELL_CHARS) {
        text = truncateCell(text);
        this.truncated++;
      }
      const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
      s += `<c r="${ref}" t="inlineStr"><is><t${space}>${escapeText(text)}</t></is></c>`;
    }
    return `${s}</row>`;
  }
}
