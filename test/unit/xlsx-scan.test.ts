import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attr, XmlScanner } from '../../main/engine/xlsx/scan';

function events(chunks: readonly string[]): string[] {
  const out: string[] = [];
  const h = {
    wantText: true,
    open: (n: string, a: string, self: boolean) =>
      out.push(`<${n}${self ? '/' : ''} r=${attr(a, 'r') ?? '-'}>`),
    close: (n: string) => out.push(`</${n}>`),
    text: (s: string) => {
      // Text may arrive in pieces; join neighbours so chunking does not change the result.
      if (out.length > 0 && out[out.length - 1].startsWith('T:')) out[out.length - 1] += s;
      else out.push(`T:${s}`);
    },
  };
  const sc = new XmlScanner(h);
  for (const c of chunks) sc.write(c);
  sc.end();
  return out;
}

const DOC =
  '<?xml version="1.0"?><!-- a <comment> --><x:sheetData xmlns:x="urn:x">' +
  '<x:row r="1"><x:c r="A1" t="inlineStr" note=\'a > b\'><x:is><x:t>&lt;5.1.1&gt; &amp; &#x1F600; &#65;</x:t></x:is></x:c>' +
  '<x:c r="B1"/><x:c r="C1"><x:v><![CDATA[<raw & text>]]></x:v></x:c></x:row></x:sheetData>';

test('the scanner reads prefixes, entities, CDATA, comments and a ">" inside an attribute', () => {
  assert.deepEqual(events([DOC]), [
    '<sheetData r=->',
    '<row r=1>',
    '<c r=A1>',
    '<is r=->',
    '<t r=->',
    'T:<5.1.1> & 😀 A',
    '</t>',
    '</is>',
    '</c>',
    '<c/ r=B1>',
    '</c>',
    '<c r=C1>',
    '<v r=->',
    'T:<raw & text>',
    '</v>',
    '</c>',
    '</row>',
    '</sheetData>',
  ]);
});

test('the scanner gives the same events however the text is split into chunks', () => {
  const whole = events([DOC]);
  for (let a = 1; a < DOC.length; a++) {
    assert.deepEqual(events([DOC.slice(0, a), DOC.slice(a)]), whole, `split at ${a}`);
  }
  assert.deepEqual(events([...DOC]), whole, 'one character per chunk');
});

test('a part cut off inside an element is an error, not a silent end', () => {
  assert.throws(() => events(['<row><c r="A1"><v>1</v></c><c r="B']), /ends in the middle of an element/);
});

test('attr finds whole attribute names only', () => {
  const a = ' r="A1" s="3" t="s" xr:uid="{x}"';
  assert.equal(attr(a, 'r'), 'A1');
  assert.equal(attr(a, 's'), '3');
  assert.equal(attr(a, 't'), 's');
  assert.equal(attr(a, 'uid'), '{x}');
  assert.equal(attr(' sr="1"', 'r'), undefined);
  assert.equal(attr(" t = 'b' ", 't'), 'b');
});
