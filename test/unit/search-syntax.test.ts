import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseDateValue,
  parseSearch,
  SEARCH_FIELDS,
  SearchSyntaxError,
  suggestFields,
  tryParseSearch,
  VALID_FIELD_NAMES,
  withoutTerms,
  type SearchTerm,
} from '../../common/search-syntax';

function only(q: string): SearchTerm {
  const terms = parseSearch(q);
  assert.equal(terms.length, 1, `expected one term in ${q}`);
  return terms[0];
}

function fieldOf(t: SearchTerm): string {
  assert.equal(t.kind, 'field');
  return t.kind === 'field' ? t.field.name : '';
}

function syntaxError(q: string): SearchSyntaxError {
  try {
    parseSearch(q);
  } catch (err) {
    assert.ok(err instanceof SearchSyntaxError, `expected a SearchSyntaxError for ${q}`);
    return err;
  }
  assert.fail(`expected ${q} to be rejected`);
}

test('free words and quoted phrases become text terms with their positions', () => {
  const terms = parseSearch('  jane@kunde.de "user unknown"  -spam ');
  assert.deepEqual(
    terms.map((t) => [t.kind, t.kind === 'text' ? t.value : '', t.negate, t.start, t.end]),
    [
      ['text', 'jane@kunde.de', false, 2, 15],
      ['text', 'user unknown', false, 16, 30],
      ['text', 'spam', true, 32, 37],
    ],
  );
  const escaped = only('"say \\"hi\\""');
  assert.equal(escaped.kind === 'text' ? escaped.value : '', 'say "hi"');
});

test('withoutTerms removes the chosen terms and leaves the others as they parse', () => {
  const q = 'jane -"acme corp" status:error -gmail "x y"';
  const terms = parseSearch(q);
  const dropped = terms.filter((t) => t.kind === 'text' && t.negate);
  const rest = withoutTerms(q, dropped);
  assert.deepEqual(
    parseSearch(rest).map((t) => rest.slice(t.start, t.end)),
    ['jane', 'status:error', '"x y"'],
  );
  assert.equal(withoutTerms(q, []), q);
});

test('every field name and alias parses to its column', () => {
  for (const f of SEARCH_FIELDS) {
    for (const name of [f.name, ...f.aliases]) {
      const value =
        f.kind === 'enum'
          ? (f.values?.[0] ?? '')
          : f.kind === 'smtp'
            ? '550'
            : f.kind === 'date'
              ? '2026-10-05'
              : f.kind === 'size'
                ? '10'
                : 'x';
      const t = only(`${name}:${value}`);
      assert.equal(fieldOf(t), f.name);
      assert.equal(t.kind === 'field' ? t.field.column : '', f.column);
    }
  }
  // Field names are case-insensitive, and quoted values may contain spaces.
  const t = only('TO:"jane doe@x.de"');
  assert.equal(fieldOf(t), 'to');
  assert.equal(t.kind === 'field' ? t.value : '', 'jane doe@x.de');
});

test('enum values are matched case-insensitively and canonicalised', () => {
  const t = only('details:hard_bounce');
  assert.equal(t.kind === 'field' ? t.value : '', 'HARD_BOUNCE');
  const i = only('interface:SMTP');
  assert.equal(i.kind === 'field' ? i.value : '', 'smtp');
  // Values the portal does not document are searchable too, folded the way the import stores them.
  const u = only('status:unknown');
  assert.equal(u.kind === 'field' ? u.value : '', 'UNKNOWN');
  const q = only('status:" ok "');
  assert.equal(q.kind === 'field' ? q.value : '', 'OK');
  const r = only('-interface:API');
  assert.deepEqual(r.kind === 'field' ? [r.value, r.negate] : [], ['api', true]);
  assert.equal(tryParseSearch('region:mars substatus:deferred details:x').ok, true);
});

test('smtp: basic, enhanced and class codes', () => {
  const basic = only('smtp:550');
  assert.deepEqual(basic.kind === 'field' ? basic.smtp : null, { type: 'basic', code: 550 });
  const enhanced = only('smtp:5.1.1');
  assert.deepEqual(enhanced.kind === 'field' ? enhanced.smtp : null, { type: 'enhanced', code: '5.1.1' });
  const cls = only('smtp:4XX');
  assert.deepEqual(cls.kind === 'field' ? cls.smtp : null, { type: 'class', cls: 4 });
  for (const bad of ['smtp:55', 'smtp:650', 'smtp:5.1', 'smtp:abc'])
    assert.ok(syntaxError(bad).message.includes('SMTP'), bad);
});

test('after:/before: take dates and date-times, UTC unless an offset is given', () => {
  const a = only('after:2026-10-05');
  assert.equal(a.kind === 'field' ? a.number : 0, Date.UTC(2026, 9, 5));
  const b = only('before:"2026-10-05 14:30"');
  assert.equal(b.kind === 'field' ? b.number : 0, Date.UTC(2026, 9, 5, 14, 30));
  assert.equal(parseDateValue('2026-10-05T14:30:15.5+02:00'), Date.UTC(2026, 9, 5, 12, 30, 15, 500));
  assert.equal(parseDateValue('2026-02-30'), null);
  assert.equal(parseDateValue('05.10.2026'), null);
  const e = syntaxError('to:x after:yesterday');
  assert.deepEqual([e.info.start, e.info.end, e.info.term], [5, 20, 'after:yesterday']);
});

test('size comparisons: > < >= <= and :', () => {
  const ops = ['size>10', 'size<10', 'size>=10', 'size<=10', 'size:10'].map((q) => only(q));
  assert.deepEqual(
    ops.map((t) => (t.kind === 'field' ? [t.op, t.number] : null)),
    [
      ['>', 10],
      ['<', 10],
      ['>=', 10],
      ['<=', 10],
      [':', 10],
    ],
  );
  assert.match(syntaxError('size>big').message, /whole number/);
  // Comparisons belong to size only.
  assert.match(syntaxError('status>OK').message, /works only with size/);
});

test('negation applies to fields and words', () => {
  const t = only('-details:OK');
  assert.equal(t.negate, true);
  assert.equal(fieldOf(t), 'details');
  // A lone dash followed by a space is not a negation.
  assert.equal(parseSearch('a - b').length, 3);
});

test('unknown fields, empty values and open quotes point at the offending term and list valid fields', () => {
  const unknown = syntaxError('status:error colour:red');
  assert.deepEqual([unknown.info.start, unknown.info.end, unknown.info.term], [13, 23, 'colour:red']);
  assert.deepEqual(unknown.info.validFields, VALID_FIELD_NAMES);
  assert.match(unknown.message, /Unknown field "colour".*to, from, domain/);
  const empty = syntaxError('to:');
  assert.deepEqual([empty.info.start, empty.info.end], [0, 3]);
  const open = syntaxError('to:jane "user unknown');
  assert.deepEqual([open.info.start, open.info.end], [8, 21]);
  assert.match(open.message, /closing quote/);
  const outcome = tryParseSearch('https://x');
  assert.equal(outcome.ok, false);
  assert.equal(tryParseSearch('"https://x"').ok, true);
});

test('suggestions list fields by prefix with descriptions', () => {
  assert.deepEqual(
    suggestFields('s').map((f) => f.name),
    // "from" through its alias "sender".
    ['from', 'status', 'substatus', 'smtp', 'size'],
  );
  assert.deepEqual(
    suggestFields('todo').map((f) => f.name),
    ['domain'],
  );
  for (const f of SEARCH_FIELDS) assert.ok(f.description.length > 5 && f.example.length > 0);
});
