/** The fixed parts of a workbook this app writes: content types, relationships, styles, notes. */
import { escapeText } from './xml';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Style indexes in cellXfs below. */
export const STYLE_HEADER = 1;
export const STYLE_DATE = 2;
/** A visible date-time format; the serial keeps the milliseconds even though they are not shown. */
export const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

export function contentTypes(sheets: number, notes: readonly boolean[]): string {
  let s = `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`;
  s += '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>';
  s += '<Default Extension="xml" ContentType="application/xml"/>';
  s += '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>';
  s +=
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>';
  s +=
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>';
  for (let i = 1; i <= sheets; i++) {
    s += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`;
    if (notes[i - 1])
      s += `<Override PartName="/xl/comments${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>`;
  }
  return `${s}</Types>`;
}

export function rootRels(): string {
  return `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
}

export function workbookRels(sheets: number): string {
  let s = `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}">`;
  for (let i = 1; i <= sheets; i++)
    s += `<Relationship Id="rId${i}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  s += `<Relationship Id="rId${sheets + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>`;
  return `${s}</Relationships>`;
}

/** Sheet names and, per sheet, the autofilter range (Excel also keeps it as a hidden defined name). */
export function workbook(sheets: readonly { name: string; filterRef: string }[]): string {
  let s = `${XML_DECL}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>`;
  sheets.forEach((sh, i) => {
    s += `<sheet name="${escapeText(sh.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`;
  });
  s += '</sheets><definedNames>';
  sheets.forEach((sh, i) => {
    const abs = sh.filterRef.replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');
    s += `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${escapeText(sh.name.replace(/'/g, "''"))}'!${abs}</definedName>`;
  });
  return `${s}</definedNames></workbook>`;
}

export function styles(): string {
  return (
    `${XML_DECL}<styleSheet xmlns="${MAIN_NS}">` +
    `<numFmts count="1"><numFmt numFmtId="164" formatCode="${DATE_FORMAT}"/></numFmts>` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>'
  );
}

/** Relationships of a sheet with header notes: the notes and the drawing Excel shows them with. */
export function sheetRels(index: number): string {
  return (
    `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}">` +
    `<Relationship Id="rId1" Type="${REL_NS}/comments" Target="../comments${index}.xml"/>` +
    `<Relationship Id="rId2" Type="${REL_NS}/vmlDrawing" Target="../drawings/vmlDrawing${index}.vml"/>` +
    '</Relationships>'
  );
}

export interface Note {
  readonly ref: string;
  readonly text: string;
}

export function comments(notes: readonly Note[]): string {
  let s = `${XML_DECL}<comments xmlns="${MAIN_NS}"><authors><author>Delivery Inspector</author></authors><commentList>`;
  for (const n of notes)
    s += `<comment ref="${n.ref}" authorId="0"><text><t xml:space="preserve">${escapeText(n.text)}</t></text></comment>`;
  return `${s}</commentList></comments>`;
}

/** The legacy drawing Excel needs to show a note's box (hidden until hovered, as Excel's default). */
export function vmlDrawing(notes: readonly { row: number; col: number }[]): string {
  let s =
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">' +
    '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>' +
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">' +
    '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>';
  notes.forEach((n, i) => {
    s +=
      `<v:shape id="_x0000_s${1025 + i}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:180pt;height:40pt;z-index:${i + 1};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">` +
      '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>' +
      '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>' +
      `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill><x:Row>${n.row}</x:Row><x:Column>${n.col}</x:Column></x:ClientData></v:shape>`;
  });
  return `${s}</xml>`;
}
