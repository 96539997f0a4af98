/**
 * Reads `xl/sharedStrings.xml` text into strings. A 1M-row report's table holds ~7M entries, nearly
 * all of the plain form `<si><t>text</t></si>`; walking each of them through the general XmlScanner
 * (tag names, attribute text, handler calls) cost ~2 µs per entry and was as much work as the sheet
 * itself (README, "Excel in and out"). Plain entries are cut out with indexOf here; any other
 * entry (rich-text runs, phonetic runs) goes through the general scanner on its own, and anything
 * this loop does not know (a prefixed root, a comment, an extension list) hands the rest of the part
 * to the general scanner from that point: both read entries the same way, so the result is the same.
 */
import { decodeEntities, tagEnd, XmlScanner, type ScanHandler } from './scan';
import { unescapeOoxml } from './xml';

const T_PLAIN = '<t>';
const T_PRESERVE = '<t xml:space="preserve">';

/** The general path for one or more entries: concatenated `<t>` runs, phonetic runs left out. */
function generalHandler(add: (s: string) => void): ScanHandler {
  let depthRPh = 0;
  let text = '';
  const handler: ScanHandler = {
    wantText: false,
    open: (n) => {
      if (n === 't') handler.wantText = depthRPh === 0;
      else if (n === 'rPh') depthRPh++;
      else if (n === 'si') text = '';
    },
    close: (n) => {
      if (n === 't') handler.wantText = false;
      else if (n === 'rPh') depthRPh--;
      else if (n === 'si') add(unescapeOoxml(text));
    },
    text: (s) => {
      text += s;
    },
  };
  return handler;
}

export class SstScanner {
  private buf = '';
  private general: XmlScanner | null = null;

  constructor(private readonly add: (s: string) => void) {}

  /** Once the fast loop meets something it does not know, the general scanner reads the rest. */
  private handOver(rest: string): void {
    this.general = new XmlScanner(generalHandler(this.add));
    this.general.write(rest);
  }

  /** The text of a plain entry `<si><t>…</t></si>` spanning [lt, end), or null for any other form. */
  private plainText(buf: string, lt: number, end: number): string | null {
    let ts: number;
    if (buf.startsWith(T_PLAIN, lt + 4)) ts = lt + 4 + T_PLAIN.length;
    else if (buf.startsWith(T_PRESERVE, lt + 4)) ts = lt + 4 + T_PRESERVE.length;
    else return null;
    const te = end - 4;
    if (te < ts || !buf.startsWith('</t>', te) || buf.indexOf('<', ts) !== te) return null;
    const raw = buf.slice(ts, te);
    return unescapeOoxml(raw.includes('&') ? decodeEntities(raw) : raw);
  }

  write(chunk: string): void {
    if (this.general !== null) {
      this.general.write(chunk);
      return;
    }
    const buf = this.buf === '' ? chunk : this.buf + chunk;
    let pos = 0;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        pos = buf.length;
        break;
      }
      if (buf.startsWith('<si>', lt)) {
        const end = buf.indexOf('</si>', lt + 4);
        if (end === -1) {
          pos = lt;
          break;
        }
        const inner = buf.slice(lt + 4, end);
        // A CDATA section or comment could hide "</si>": the general scanner reads such an entry.
        if (inner.includes('<!')) {
          this.handOver(buf.slice(lt));
          this.buf = '';
          return;
        }
        const plain = this.plainText(buf, lt, end);
        if (plain !== null) this.add(plain);
        else {
          const one = new XmlScanner(generalHandler(this.add));
          one.write(buf.slice(lt, end + 5));
          one.end();
        }
        pos = end + 5;
        continue;
      }
      // The declaration and the root's tags; anything else hands over.
      const skippable =
        buf.startsWith('<?', lt) || buf.startsWith('<sst', lt) || buf.startsWith('</sst>', lt);
      if (!skippable && lt + 6 <= buf.length) {
        this.handOver(buf.slice(lt));
        this.buf = '';
        return;
      }
      const close = skippable ? tagEnd(buf, lt) : -1;
      if (close === -1) {
        pos = lt;
        break;
      }
      pos = close + 1;
    }
    this.buf = buf.slice(pos);
  }

  end(): void {
    if (this.general !== null) this.general.end();
    else if (this.buf.trim() !== '') throw new Error('the XML part ends in the middle of an element');
    this.buf = '';
  }
}
