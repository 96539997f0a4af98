/**
 * Looks into a workbook before its import: which sheets are delivery exports (their header row
 * maps onto the export columns) and which are not, with the reason, so the result can report them.
 * Runs in the importing thread and reads only each sheet's first rows.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { SheetReport } from '../../../common/contract';
import { EngineError } from '../errors';
import { mapHeaders } from '../import/headers';
import { readNotes, readWorkbookMeta, zoneFromNote, type WorkbookMeta } from './meta';
import type { XlsxSheetPlan } from './plan';
import { SharedStrings } from './shared-strings';
import { readSheet } from './sheet';
import { columnLetters } from './xml';
import { WorkbookZip } from './zip';

/** Rows looked at for a header before a sheet counts as having none. */
const HEADER_SEARCH_ROWS = 20;
const PROBE_STRINGS = 10_000;

export interface Probe {
  readonly sheets: readonly XlsxSheetPlan[];
  readonly report: readonly SheetReport[];
}

/** The clear message for an OLE compound file: an encrypted .xlsx or a BIFF .xls. */
export function cfbError(file: string): EngineError {
  const name = file.split(/[\\/]/).pop() ?? file;
  if (containsUtf16(file, 'EncryptionInfo') || containsUtf16(file, 'EncryptedPackage'))
    return new EngineError(
      'IMPORT_FAILED',
      `${name} is a password-protected Excel workbook, which cannot be read. Open it in Excel, remove the password (File > Info > Protect Workbook), save it and import that copy.`,
    );
  return new EngineError(
    'IMPORT_FAILED',
    `${name} is an old Excel .xls (BIFF) workbook, which cannot be read. Open it in Excel and save it as "Excel Workbook (.xlsx)" or as CSV, then import that file.`,
  );
}

/** Looks for a stream name in the compound file's directory (start and end of the file, where it sits). */
function containsUtf16(file: string, name: string): boolean {
  const needle = Buffer.from(name, 'utf16le');
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const span = Math.min(size, 1 << 20);
    for (const at of [0, Math.max(0, size - span)]) {
      const buf = Buffer.alloc(span);
      const n = readSync(fd, buf, 0, span, at);
      if (buf.subarray(0, n).includes(needle)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

async function headerOf(
  zip: WorkbookZip,
  meta: WorkbookMeta,
  strings: SharedStrings | null,
  part: string,
): Promise<{ row: number; cells: string[] } | null> {
  let found: { row: number; cells: string[] } | null = null;
  let seen = 0;
  await readSheet(
    await zip.stream(part),
    { strings, dateStyles: meta.dateStyles, date1904: meta.date1904, zone: null },
    (row, cells) => {
      if (found !== null) return;
      seen++;
      if (cells.some((c) => c.trim() !== '')) found = { row, cells };
    },
    undefined,
    () => found !== null || seen >= HEADER_SEARCH_ROWS,
  );
  return found;
}

export async function probeWorkbook(file: string): Promise<Probe> {
  let zip: WorkbookZip;
  try {
    zip = await WorkbookZip.open(file);
  } catch (err) {
    throw new EngineError(
      'IMPORT_FAILED',
      `This file starts like an Excel workbook (.xlsx) but its zip structure is damaged: ${err instanceof Error ? err.message : String(err)}.`,
    );
  }
  let strings: SharedStrings | null = null;
  try {
    const meta = await readWorkbookMeta(zip);
    const sst = meta.sharedStrings;
    // Excel numbers strings in order of first use, so headers are among the first; all only if not.
    if (sst !== null) {
      strings = new SharedStrings();
      await strings.load(zip, sst, PROBE_STRINGS);
    }
    const sheets: XlsxSheetPlan[] = [];
    const report: SheetReport[] = [];
    for (const s of meta.sheets) {
      let header: { row: number; cells: string[] } | null;
      try {
        header = await headerOf(zip, meta, strings, s.part);
      } catch (err) {
        if (strings === null || sst === null || strings.count < PROBE_STRINGS) throw err;
        strings.close();
        strings = new SharedStrings();
        await strings.load(zip, sst);
        header = await headerOf(zip, meta, strings, s.part);
      }
      if (header === null) {
        report.push({ name: s.name, imported: false, reason: 'the sheet is empty' });
        continue;
      }
      const cells = [...header.cells];
      while (cells.length > 0 && cells[cells.length - 1].trim() === '') cells.pop();
      try {
        const mapping = mapHeaders(cells);
        const notes = await readNotes(zip, s.part);
        let zone: string | null = null;
        mapping.columns.forEach((c, i) => {
          if (c === 'creation_time' || c === 'meta_data_creation_time')
            zone ??= zoneFromNote(notes.get(`${columnLetters(i)}${header.row}`));
        });
        sheets.push({ name: s.name, part: s.part, headerRow: header.row, ...mapping, zone });
        report.push({ name: s.name, imported: true });
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        report.push({ name: s.name, imported: false, reason: err.message });
      }
    }
    if (sheets.length === 0) {
      const why = report.map((r) => `sheet "${r.name}": ${r.reason ?? ''}`).join(' ');
      throw new EngineError(
        'IMPORT_FAILED',
        report.length === 0
          ? 'This workbook has no worksheets.'
          : `No sheet of this workbook is a Retarus delivery export. ${why}`,
      );
    }
    return { sheets, report };
  } finally {
    strings?.close();
    zip.close();
  }
}
