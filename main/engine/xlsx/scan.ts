/**
 * A small streaming XML tokenizer for the two large parts of a workbook (sheets and the shared-string
 * table). saxes, used for the small parts, walks the text a character at a time through a state
 * machine; this finds tags with indexOf and leaves text unsplit, which made the sheet parse ~3x faster
 * (README, "Excel in and out"). It handles what those parts contain: elements with namespace
 * prefixes, attributes in either quote (a '>' inside one included), the five entities and numeric
 * character references, CDATA, comments and processing instructions. DTDs do not occur in them.
 */

export interface ScanHandler {
  /** `attrs` is the raw attribute text of the tag (parse it with `attr` when needed). */
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Text between tags with entities decoded; only called while `wantText` is true. */
  text(s: string): void;
  wantText: boolean;
  /**
   * Optional shortcut, asked at each tag while no text is wanted: consume a whole construct starting
   * at `lt` and return the index after it, -1 to let the scanner read the tag, or -2 when the
   * construct is not complete in `buf` yet (the scanner waits for more text).
   */
  fast?(buf: string, lt: number): number;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g;

export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp === -1) return s;
  // The five named entities in a plain loop: the regex replace with a callback per match was 4 % of
  // the inline-string sheet's parse (SMTP replies carry `&lt;…&gt;`; 14g profile). Anything else
  // (numeric references, unknown names) goes through the regex as before.
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = s.indexOf(';', amp + 1);
    const named = semi === -1 || semi - amp > 5 ? undefined : ENTITIES[s.slice(amp + 1, semi)];
    if (named === undefined) return out + s.slice(from).replace(ENTITY, entity);
    out += s.slice(from, amp) + named;
    from = semi + 1;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

function entity(m: string, e: string): string {
  if (e.charCodeAt(0) === 35) {
    const code = e.charCodeAt(1) === 120 ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  }
  return ENTITIES[e] ?? m;
}

/** One attribute's decoded value from a tag's attribute text, or undefined (prefixes ignored). */
export function attr(attrs: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = attrs.indexOf(name, from);
    if (at === -1) return undefined;
    from = at + name.length;
    const before = at === 0 ? 32 : attrs.charCodeAt(at - 1);
    // A whole name: preceded by a space or a prefix colon, followed by '=' (spaces allowed).
    if (before !== 32 && before !== 9 && before !== 10 && before !== 13 && before !== 58) continue;
    let j = from;
    while (attrs.charCodeAt(j) === 32) j++;
    if (attrs.charCodeAt(j) !== 61) continue;
    j++;
    while (attrs.charCodeAt(j) === 32) j++;
    const q = attrs[j];
    if (q !== '"' && q !== "'") continue;
    const end = attrs.indexOf(q, j + 1);
    if (end === -1) return undefined;
    return decodeEntities(attrs.slice(j + 1, end));
  }
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}

/** Index of the '>' ending the tag that starts at `lt`, skipping quoted attribute values; -1 if not yet in `buf`. */
export function tagEnd(buf: string, lt: number): number {
  for (let i = lt + 1; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c === 62) return i;
    if (c === 34 || c === 39) {
      const close = buf.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close === -1) return -1;
      i = close;
    }
  }
  return -1;
}

export class XmlScanner {
  private buf = '';

  constructor(private readonly h: ScanHandler) {}

  write(chunk: string): void {
    const buf = this.buf === '' ? chunk : this.buf + chunk;
    const h = this.h;
    let i = 0;
    for (;;) {
      const lt = buf.indexOf('<', i);
      if (lt === -1) break;
      if (h.fast !== undefined && !h.wantText) {
        const next = h.fast(buf, lt);
        if (next >= 0) {
          i = next;
          continue;
        }
        if (next === -2) {
          i = lt;
          break;
        }
      }
      let end: number;
      let kind = 0; // 0 element, 1 comment, 2 CDATA, 3 PI / declaration
      const c1 = buf.charCodeAt(lt + 1);
      if (c1 === 33) {
        if (buf.startsWith('<!--', lt)) {
          kind = 1;
          end = buf.indexOf('-->', lt + 4);
          if (end !== -1) end += 2;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          kind = 2;
          end = buf.indexOf(']]>', lt + 9);
          if (end !== -1) end += 2;
        } else if (lt + 9 > buf.length) end = -1;
        else {
          kind = 3;
          end = tagEnd(buf, lt);
        }
      } else if (c1 === 63) {
        kind = 3;
        end = buf.indexOf('?>', lt + 2);
        if (end !== -1) end += 1;
      } else end = Number.isNaN(c1) ? -1 : tagEnd(buf, lt);
      if (end === -1) break;
      if (lt > i && h.wantText) h.text(decodeEntities(buf.slice(i, lt)));
      if (kind === 0) {
        if (c1 === 47) h.close(localName(buf.slice(lt + 2, end).trim()));
        else {
          const self = buf.charCodeAt(end - 1) === 47;
          const inner = buf.slice(lt + 1, self ? end - 1 : end);
          let sp = 0;
          while (sp < inner.length) {
            const c = inner.charCodeAt(sp);
            if (c === 32 || c === 9 || c === 10 || c === 13) break;
            sp++;
          }
          const name = localName(inner.slice(0, sp));
          h.open(name, sp < inner.length ? inner.slice(sp) : '', self);
          if (self) h.close(name);
        }
      } else if (kind === 2 && h.wantText) h.text(buf.slice(lt + 9, end - 2));
      i = end + 1;
    }
    this.buf = buf.slice(i);
  }

  /** Text after the last tag that was never closed means a truncated part. */
  end(): void {
    if (this.buf.trim() !== '') throw new Error('the XML part ends in the middle of an element');
    this.buf = '';
  }
}
