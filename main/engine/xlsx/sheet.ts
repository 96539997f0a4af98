/**
 * Streams one worksheet's rows as arrays of cell text, placed by each cell's `r` reference (cells
 * and rows a writer left out stay empty). Values are turned into the text the CSV path would have
 * read: shared and inline strings (rich-text runs joined, phonetic runs left out, `_xHHHH_`
 * undone), numbers as written, booleans as TRUE/FALSE, and numbers in a date style as the portal's
 * UTC timestamp text.
 */
import { AlignedDecoder } from './aligned-text';
import { digitsOr, letters, numberText } from './cell-text';
import { portalTime, serialToWallMs, type ZoneOffsets } from './dates';
import { attr, decodeEntities, XmlScanner } from './scan';
import type { SharedStrings } from './shared-strings';
import { columnIndexOf, unescapeOoxml } from './xml';

export interface CellContext {
  readonly strings: SharedStrings | null;
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
  /** Zone the sheet's date cells are in (stated in a header note); null = UTC. */
  readonly zone: ZoneOffsets | null;
}

/** Called per row; may return a promise to pause reading (backpressure). */
export type RowHandler = (row: number, cells: string[]) => void | Promise<void>;

const IS_PLAIN = '<is><t>';
const IS_PRESERVE = '<is><t xml:space="preserve">';
export class SheetParser {
  private readonly scanner: XmlScanner;
  private cells: string[] = [];
  private row = 0;
  private col = 0;
  private cellCol = -1;
  private cellType = 'n';
  private cellStyle = 0;
  private value = '';
  private inInline = false;
  private rPh = 0;
  private readonly ready: { row: number; cells: string[] }[] = [];
  /** Shared-string cells whose entry the table has not read yet: row, cells, column, index (see fill). */
  private readonly later: { row: number; cells: string[]; col: number; index: number }[] = [];
  private laterMax = -1;
  error: string | null = null;
  /** ScanHandler: text is wanted only inside <v>, or <t> of an inline string. */
  wantText = false;

  constructor(private readonly ctx: CellContext) {
    this.scanner = new XmlScanner(this);
  }

  text(s: string): void {
    this.value += s;
  }

  /**
   * The usual cells read whole: `<c …/>`, `<c …><v>…</v></c>`, `<c …><is><t>…</t></is></c>`. Five
   * scanner steps per cell were most of the sheet's parse time; any other form (a formula, rich
   * text, a comment) returns -1 and is read tag by tag, with the same result.
   */
  fast(buf: string, lt: number): number {
    if (buf.charCodeAt(lt + 1) !== 99 || buf.charCodeAt(lt + 2) !== 32 || this.inInline) return -1;
    const gt = this.cellAttrs(buf, lt + 3);
    if (gt < 0) return gt;
    const self = buf.charCodeAt(gt - 1) === 47;
    let next: number;
    let value: string;
    if (self) {
      value = '';
      next = gt + 1;
    } else {
      const cs = gt + 1;
      let vs: number;
      let close: string;
      if (buf.startsWith('<v>', cs)) {
        vs = cs + 3;
        close = '</v></c>';
      } else if (buf.startsWith(IS_PLAIN, cs)) {
        vs = cs + IS_PLAIN.length;
        close = '</t></is></c>';
      } else if (buf.startsWith(IS_PRESERVE, cs)) {
        vs = cs + IS_PRESERVE.length;
        close = '</t></is></c>';
      } else if (buf.startsWith('</c>', cs)) {
        vs = cs;
        close = '</c>';
      } else return cs + IS_PRESERVE.length > buf.length ? -2 : -1;
      const ve = buf.indexOf('<', vs);
      if (ve === -1 || ve + close.length > buf.length) return -2;
      if (!buf.startsWith(close, ve)) return -1;
      const raw = buf.slice(vs, ve);
      value = raw.includes('&') ? decodeEntities(raw) : raw;
      next = ve + close.length;
    }
    this.value = value;
    this.endCell();
    return next;
  }

  /**
   * The attributes of a `<c ` tag read in place from `at` (what startCell reads with `attr`, without
   * slicing the tag's text): sets the cell's column, type and style and returns the index of the
   * tag's '>', -2 when the tag is not complete in `buf`, or -1 for any form it leaves to the general
   * path (a prefixed name, spaces around '=', an entity or '=' in a value). Slicing the attribute
   * text and three `attr` searches per cell were a fifth of the inline-string sheet's parse (14g).
   */
  private cellAttrs(buf: string, at: number): number {
    let col = -2;
    let type: string | null = null;
    let style = 0;
    let styled = false;
    let i = at;
    for (;;) {
      let c = buf.charCodeAt(i);
      while (c === 32 || c === 9 || c === 10 || c === 13) c = buf.charCodeAt(++i);
      if (c === 62 || (c === 47 && buf.charCodeAt(i + 1) === 62)) break;
      if (Number.isNaN(c) || (c === 47 && i + 1 >= buf.length)) return -2;
      const ns = i;
      while ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) c = buf.charCodeAt(++i);
      if (Number.isNaN(c)) return -2;
      if (c !== 61 || i === ns) return -1;
      const q = buf.charCodeAt(i + 1);
      if (Number.isNaN(q)) return -2;
      if (q !== 34 && q !== 39) return -1;
      const vs = i + 2;
      const ve = buf.indexOf(q === 34 ? '"' : "'", vs);
      if (ve === -1) return -2;
      for (let k = vs; k < ve; k++) {
        const v = buf.charCodeAt(k);
        if (v === 38 || v === 61 || v === 60) return -1;
      }
      if (i - ns === 1) {
        const n = buf.charCodeAt(ns);
        if (n === 114 && col === -2) col = letters(buf, vs, ve);
        else if (n === 116 && type === null)
          type = ve - vs === 1 && buf.charCodeAt(vs) === 115 ? 's' : buf.slice(vs, ve);
        else if (n === 115 && !styled) {
          style = digitsOr(buf, vs, ve);
          styled = true;
        }
      }
      i = ve + 1;
    }
    this.cellCol = col === -2 || col < 0 ? this.col : col;
    this.cellType = type ?? 'n';
    this.cellStyle = style;
    this.value = '';
    return buf.charCodeAt(i) === 62 ? i : i + 1;
  }

  private startCell(attrs: string): void {
    const r = attr(attrs, 'r');
    this.cellCol = r === undefined ? this.col : columnIndexOf(r);
    if (this.cellCol < 0) this.cellCol = this.col;
    this.cellType = attr(attrs, 't') ?? 'n';
    const st = attr(attrs, 's');
    this.cellStyle = st === undefined ? 0 : Number(st);
    this.value = '';
  }

  private endCell(): void {
    const cells = this.cells;
    const earlier = this.later.length;
    const text = this.resolve(cells);
    // A cell written over an earlier one of the same row (out of order, or twice): last one wins, as
    // before, so an earlier cell still waiting for its string must not be filled in over it.
    if (this.cellCol < cells.length && earlier > 0) this.dropLater(cells, this.cellCol, earlier);
    while (cells.length < this.cellCol) cells.push('');
    cells[this.cellCol] = text;
    this.col = this.cellCol + 1;
    this.inInline = false;
  }

  /** Voids the waiting cells of this row at `col` among the first `upTo` (the ones before this cell). */
  private dropLater(cells: string[], col: number, upTo: number): void {
    for (let k = upTo - 1; k >= 0 && this.later[k].cells === cells; k--)
      if (this.later[k].col === col) this.later[k].col = -1;
  }

  open(n: string, attrs: string): void {
    if (n === 'c') this.startCell(attrs);
    else if (n === 'v') {
      this.wantText = !this.inInline;
    } else if (n === 't') {
      this.wantText = this.inInline && this.rPh === 0;
    } else if (n === 'is') {
      this.inInline = true;
    } else if (n === 'rPh') {
      this.rPh++;
    } else if (n === 'row') {
      const r = attr(attrs, 'r');
      this.row = r === undefined ? this.row + 1 : Number(r);
      this.col = 0;
      this.cells = [];
    }
  }

  close(n: string): void {
    if (n === 'v' || n === 't') this.wantText = false;
    else if (n === 'c') this.endCell();
    else if (n === 'is') this.inInline = false;
    else if (n === 'rPh') this.rPh--;
    else if (n === 'row') this.ready.push({ row: this.row, cells: this.cells });
  }

  private resolve(cells: string[]): string {
    const v = this.value;
    switch (this.cellType) {
      case 's': {
        if (v === '') return '';
        const strings = this.ctx.strings;
        const index = Number(v);
        const s = strings?.get(index);
        if (
          s === undefined &&
          strings?.loading === true &&
          Number.isInteger(index) &&
          index >= strings.count
        ) {
          // Filled in before the row is handed on, once the table has been read that far (fill).
          this.later.push({ row: this.row, cells, col: this.cellCol, index });
          if (index > this.laterMax) this.laterMax = index;
          return '';
        }
        if (s === undefined) {
          this.error ??= `row ${this.row}: cell refers to shared string ${v}, which the workbook does not have`;
          return '';
        }
        return s;
      }
      case 'inlineStr':
      case 'str':
        return unescapeOoxml(v);
      case 'b':
        return v === '1' || v === 'true' ? 'TRUE' : v === '' ? '' : 'FALSE';
      case 'e':
        return v;
      case 'd':
        // ISO 8601 date cells (Strict/ISO writers): the CSV parser reads that text as it is.
        return v;
      default: {
        if (v === '') return '';
        if (this.ctx.dateStyles[this.cellStyle] === true) {
          const serial = Number(v);
          if (Number.isFinite(serial)) {
            const wall = serialToWallMs(serial, this.ctx.date1904);
            return portalTime(this.ctx.zone === null ? wall : this.ctx.zone.fromWall(wall));
          }
        }
        return numberText(v);
      }
    }
  }

  /**
   * Reads the shared-string table on as far as the cells parsed so far refer to, and puts their text
   * in; called before the rows are handed on. An index the whole table does not have is the same
   * error as before.
   */
  async fill(): Promise<void> {
    const strings = this.ctx.strings;
    if (this.later.length === 0 || strings === null) return;
    await strings.more(this.laterMax);
    for (const l of this.later) {
      const s = strings.get(l.index);
      if (s === undefined)
        this.error ??= `row ${l.row}: cell refers to shared string ${l.index}, which the workbook does not have`;
      else if (l.col >= 0) l.cells[l.col] = s;
    }
    this.later.length = 0;
    this.laterMax = -1;
  }

  /** Feeds text; returns the rows completed by it. */
  write(text: string): { row: number; cells: string[] }[] {
    this.scanner.write(text);
    return this.ready.splice(0);
  }

  end(): { row: number; cells: string[] }[] {
    this.scanner.end();
    return this.ready.splice(0);
  }
}

/** Reads a sheet part, calling `onRow` per row; stops early when `onRow` returns false-ish via `stop()`. */
export async function readSheet(
  stream: AsyncIterable<Buffer> | Iterable<Buffer>,
  ctx: CellContext,
  onRow: RowHandler,
  onBytes?: (raw: number) => void,
  shouldStop?: () => boolean,
): Promise<void> {
  const parser = new SheetParser(ctx);
  const decoder = new AlignedDecoder('</row>');
  let raw = 0;
  for await (const chunk of stream) {
    raw += chunk.length;
    const rows = parser.write(decoder.write(chunk));
    await parser.fill();
    for (const r of rows) await onRow(r.row, r.cells);
    if (parser.error !== null) throw new Error(parser.error);
    onBytes?.(raw);
    // Leaving the loop ends the stream (the iterator's return destroys it).
    if (shouldStop?.()) return;
  }
  const rows = parser.write(decoder.end());
  rows.push(...parser.end());
  await parser.fill();
  for (const r of rows) await onRow(r.row, r.cells);
  if (parser.error !== null) throw new Error(parser.error);
}
