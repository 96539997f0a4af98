/**
 * The small parts that say how to read the sheets: workbook.xml (sheet names and order, the 1904
 * date system), its relationships (where each sheet's part is), styles.xml (which cell styles show
 * dates) and a sheet's notes (the time zone our own exports state on their time headers).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { isDateFormat } from './dates';
import { resolvePart, type WorkbookZip } from './zip';
import { unescapeOoxml } from './xml';

export interface SheetRef {
  readonly name: string;
  /** Part name inside the zip, e.g. xl/worksheets/sheet1.xml. */
  readonly part: string;
}

export interface WorkbookMeta {
  readonly sheets: readonly SheetRef[];
  readonly date1904: boolean;
  /** Per cellXfs index: whether a number in that style is a date. */
  readonly dateStyles: readonly boolean[];
  /** Part name of the shared-string table, or null. */
  readonly sharedStrings: string | null;
}

/** saxes without namespace processing or position tracking: both cost time and neither is needed here. */
export function newXmlParser(): SaxesParser<{ xmlns: false; position: false }> {
  return new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
}

export function localName(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}

/** Runs a small XML document through saxes, calling back on each element and text node. */
export function walkXml(
  xml: string,
  onOpen: (name: string, attrs: Record<string, string>) => void,
  onText?: (text: string, path: readonly string[]) => void,
  onClose?: (name: string) => void,
): void {
  const p = newXmlParser();
  const path: string[] = [];
  p.on('opentag', (t: SaxesTagPlain) => {
    const name = localName(t.name);
    path.push(name);
    onOpen(name, t.attributes);
  });
  p.on('closetag', (t: SaxesTagPlain) => {
    path.pop();
    onClose?.(localName(t.name));
  });
  if (onText) {
    p.on('text', (s) => onText(s, path));
    p.on('cdata', (s) => onText(s, path));
  }
  p.write(xml).close();
}

function attr(attrs: Record<string, string>, local: string): string | undefined {
  if (local in attrs) return attrs[local];
  for (const k of Object.keys(attrs)) if (localName(k) === local) return attrs[k];
  return undefined;
}

async function rels(zip: WorkbookZip, part: string): Promise<Map<string, { type: string; target: string }>> {
  const slash = part.lastIndexOf('/');
  const relsPart = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  const out = new Map<string, { type: string; target: string }>();
  const xml = await zip.text(relsPart);
  if (xml === undefined) return out;
  walkXml(xml, (name, a) => {
    if (name === 'Relationship' && a.Id && a.Target)
      out.set(a.Id, {
        type: a.Type ?? '',
        target: a.TargetMode === 'External' ? '' : resolvePart(part, a.Target),
      });
  });
  return out;
}

async function workbookPart(zip: WorkbookZip): Promise<string> {
  const root = await rels(zip, '');
  for (const r of root.values()) if (r.type.endsWith('/officeDocument')) return r.target;
  return 'xl/workbook.xml';
}

export async function readWorkbookMeta(zip: WorkbookZip): Promise<WorkbookMeta> {
  const wbPart = await workbookPart(zip);
  const wbXml = await zip.text(wbPart);
  if (wbXml === undefined) throw new Error('it is a zip file but not an Excel workbook (no workbook part)');
  const wbRels = await rels(zip, wbPart);
  const sheets: SheetRef[] = [];
  let date1904 = false;
  walkXml(wbXml, (name, a) => {
    if (name === 'workbookPr') {
      const v = attr(a, 'date1904');
      date1904 = v === '1' || v === 'true';
    } else if (name === 'sheet') {
      const rel = wbRels.get(attr(a, 'id') ?? '');
      // Chart sheets and dialog sheets have no cells to import.
      if (rel && rel.type.endsWith('/worksheet')) sheets.push({ name: a.name ?? '', part: rel.target });
    }
  });
  let stylesPart: string | null = null;
  let sharedStrings: string | null = null;
  for (const r of wbRels.values()) {
    if (r.type.endsWith('/styles')) stylesPart = r.target;
    else if (r.type.endsWith('/sharedStrings')) sharedStrings = r.target;
  }
  const dateStyles = stylesPart === null ? [] : readDateStyles((await zip.text(stylesPart)) ?? '');
  if (sharedStrings !== null && !zip.has(sharedStrings)) sharedStrings = null;
  return { sheets, date1904, dateStyles, sharedStrings };
}

function readDateStyles(xml: string): boolean[] {
  if (xml === '') return [];
  const codes = new Map<number, string>();
  const out: boolean[] = [];
  let inCellXfs = false;
  walkXml(
    xml,
    (name, a) => {
      if (name === 'numFmt') codes.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        out.push(isDateFormat(id, codes.get(id)));
      }
    },
    undefined,
    (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  );
  return out;
}

/** Notes of a sheet by cell reference (e.g. "A1" -> text), read from its comments part. */
export async function readNotes(zip: WorkbookZip, sheetPart: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const r of (await rels(zip, sheetPart)).values()) {
    if (!r.type.endsWith('/comments')) continue;
    const xml = await zip.text(r.target);
    if (xml === undefined) continue;
    let ref = '';
    let text = '';
    walkXml(
      xml,
      (name, a) => {
        if (name === 'comment') {
          ref = (a.ref ?? '').toUpperCase();
          text = '';
        }
      },
      (s, path) => {
        if (path[path.length - 1] === 't' && !path.includes('rPh')) text += s;
      },
      (name) => {
        if (name === 'comment') out.set(ref, unescapeOoxml(text));
      },
    );
  }
  return out;
}

/** The IANA zone a note states ("Time zone: Europe/Berlin. ..."), or null. */
export function zoneFromNote(text: string | undefined): string | null {
  const m = /Time zone:\s*([A-Za-z][A-Za-z0-9_+\-/]*)/.exec(text ?? '');
  if (!m) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: m[1] });
    return m[1];
  } catch {
    return null;
  }
}
