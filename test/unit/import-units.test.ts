import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvParser } from '../../main/engine/import/csv';
import { mapHeaders } from '../../main/engine/import/headers';
import { detectDelimiter, detectEncoding, sniff } from '../../main/engine/import/sniff';
import { parseSmtpCodes } from '../../main/engine/import/smtp-codes';
import { parseTimestamp } from '../../main/engine/import/timestamps';
import { EngineError } from '../../main/engine/errors';

function parseAll(
  text: string,
  chunk = 7,
  expected = 0,
): { records: { fields: string[]; line: number }[]; bad: { line: number; reason: string; raw: string }[] } {
  const records: { fields: string[]; line: number }[] = [];
  const bad: { line: number; reason: string; raw: string }[] = [];
  const p = new CsvParser(',', {
    record: (fields, line) => records.push({ fields, line }),
    bad: (line, reason, raw) => bad.push({ line, reason, raw }),
  });
  p.expectedFields = expected;
  // Small chunks so records straddle chunk boundaries, as they do in a streamed file.
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
  p.end();
  return { records, bad };
}

test('the CSV parser keeps quoted multi-line fields byte for byte and numbers records by their first line', () => {
  const text = 'a,b,c\r\n1,"x\r\ny ""q"", z",3\r\n\r\n4,5,6\n7,"",9';
  for (const chunk of [1, 3, 7, 1000]) {
    const { records, bad } = parseAll(text, chunk, 3);
    assert.deepEqual(bad, []);
    assert.deepEqual(
      records.map((r) => [r.line, r.fields]),
      [
        [1, ['a', 'b', 'c']],
        [2, ['1', 'x\r\ny "q", z', '3']],
        [5, ['4', '5', '6']],
        [6, ['7', '', '9']],
      ],
    );
  }
});

test('quoted fields on one line: delimiters and doubled quotes inside, text after the closing quote', () => {
  const text = [
    'a,"b,c",d',
    '"x""y",z,"1,2,3"',
    '"a"b,c,e',
    '",",2,""',
    '"a,b" ,c,"",',
    'p,"q, ""r""",s',
  ].join('\r\n');
  for (const chunk of [1, 3, 1000]) {
    const { records, bad } = parseAll(text, chunk);
    assert.deepEqual(bad, []);
    assert.deepEqual(
      records.map((r) => r.fields),
      [
        ['a', 'b,c', 'd'],
        ['x"y', 'z', '1,2,3'],
        ['ab', 'c', 'e'],
        [',', '2', ''],
        ['a,b ', 'c', '', ''],
        ['p', 'q, "r"', 's'],
      ],
      `chunk ${chunk}`,
    );
  }
});

test('an unterminated quote rejects its own line and parsing resumes on the next', () => {
  const { records, bad } = parseAll('a,b,c\n1,"open,3\n4,5,6\n7,8,9\n', 5, 3);
  assert.deepEqual(bad, [
    { line: 2, reason: 'unterminated quote: a quoted field is never closed', raw: '1,"open,3' },
  ]);
  assert.deepEqual(
    records.map((r) => r.line),
    [1, 3, 4],
  );
});

test('a stray quote that swallows later lines is blamed on its line only', () => {
  const { records, bad } = parseAll('a,b,c\n1,"x,3\n4,5,6\n7,"y\nz",9\n', 4, 3);
  assert.equal(bad[0]?.line, 2);
  assert.match(bad[0]?.reason ?? '', /quote/);
  assert.deepEqual(
    records.map((r) => [r.line, r.fields]),
    [
      [1, ['a', 'b', 'c']],
      [3, ['4', '5', '6']],
      [4, ['7', 'y\nz', '9']],
    ],
  );
});

test('timestamps: ISO with T or space, fractions, Z and offsets, and the German form', () => {
  const utc = Date.UTC(2026, 9, 1, 8, 15, 30, 250);
  assert.deepEqual(parseTimestamp('2026-10-01T08:15:30.250Z'), { ms: utc, zoned: true });
  assert.deepEqual(parseTimestamp('2026-10-01 08:15:30.250'), { ms: utc, zoned: false });
  assert.deepEqual(parseTimestamp('2026-10-01T10:15:30.250+02:00'), { ms: utc, zoned: true });
  assert.deepEqual(parseTimestamp('2026-10-01T03:15:30.25-0500'), { ms: utc, zoned: true });
  assert.deepEqual(parseTimestamp('01.10.2026 08:15:30'), { ms: utc - 250, zoned: false });
  assert.deepEqual(parseTimestamp('2024-02-29 00:00:00'), { ms: Date.UTC(2024, 1, 29), zoned: false });
  // Consecutive times, on the same day and across days (the day's start is cached between calls).
  for (const [text, ms] of [
    ['2026-10-01 23:59:59.999', Date.UTC(2026, 9, 1, 23, 59, 59, 999)],
    ['2026-10-02 00:00:00.000', Date.UTC(2026, 9, 2)],
    ['2026-10-01 00:00:01', Date.UTC(2026, 9, 1, 0, 0, 1)],
    ['2026-10-01 12:34:56.789', Date.UTC(2026, 9, 1, 12, 34, 56, 789)],
  ] as const)
    assert.deepEqual(parseTimestamp(text), { ms, zoned: false }, text);
  assert.equal(parseTimestamp('2026-10-01 24:00:00'), null);
  for (const bad of [
    '',
    'yesterday',
    '2026-13-01 00:00:00',
    '2026-02-29 00:00:00',
    '2026-10-01 24:00:00',
    '10/01/2026 08:00:00',
    '2026-10-01',
  ]) {
    assert.equal(parseTimestamp(bad), null, bad);
  }
});

test('SMTP basic and enhanced codes are read out of the reply text', () => {
  assert.deepEqual(parseSmtpCodes('550 5.1.1 <a@b.de>: Recipient address rejected'), {
    basic: 550,
    enhanced: '5.1.1',
  });
  assert.deepEqual(parseSmtpCodes('550-5.1.1 The email account\n550 5.1.1 does not exist'), {
    basic: 550,
    enhanced: '5.1.1',
  });
  assert.deepEqual(parseSmtpCodes('[5.2.0] bounced (host mx.web.de said: 552 5.2.2 mailbox full)'), {
    basic: 552,
    enhanced: '5.2.0',
  });
  assert.deepEqual(parseSmtpCodes('250 Requested mail action okay, completed: id=1MZTb1'), {
    basic: 250,
    enhanced: null,
  });
  assert.deepEqual(parseSmtpCodes('554 Client host [192.0.2.1] blocked'), { basic: 554, enhanced: null });
  assert.deepEqual(parseSmtpCodes(''), { basic: null, enhanced: null });
});

test('headers map by canonical name or alias, in any order, ignoring case and punctuation', () => {
  const m = mapHeaders([
    '\uFEFFrecipient',
    'STATUS CODE',
    'created_at',
    'Usage ID',
    'Portal Note',
    'Technical Account',
  ]);
  assert.deepEqual(m.columns, [
    'message_to',
    'status',
    'creation_time',
    'usage_id',
    null,
    'technical_account_id',
  ]);
  assert.deepEqual(m.unknown, ['Portal Note']);
});

test('a header without the identifying columns fails and names them', () => {
  assert.throws(
    () => mapHeaders(['Message To', 'Substatus']),
    (e: unknown) =>
      e instanceof EngineError &&
      e.code === 'IMPORT_FAILED' &&
      /Creation Time/.test(e.message) &&
      /Status/.test(e.message),
  );
  assert.throws(() => mapHeaders(['Name', 'Email']), /not a Retarus delivery export/);
});

test('sniffing picks the delimiter that makes the header make sense, and the encoding', () => {
  assert.equal(detectDelimiter('Creation Time;Message To;Status, with comma\r\n'), ';');
  assert.equal(detectDelimiter('Creation Time\tMessage To\tStatus\n'), '\t');
  assert.equal(detectDelimiter('Creation Time|Message To|Status\n'), '|');
  assert.equal(detectDelimiter('Creation Time,Message To,Status\n'), ',');
  assert.equal(detectEncoding(Buffer.from('Message To\nm\u00fcller', 'utf8')), 'utf-8');
  assert.equal(detectEncoding(Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72])), 'windows-1252');
  const s = sniff(Buffer.from('Creation Time;Message To;Status\r\n'), 33, { delimiter: '|' });
  assert.equal(s.delimiter, '|', 'an explicit delimiter wins over the guess');
  assert.throws(() => sniff(Buffer.from([0xff, 0xfe, 0x41, 0x00]), 4, {}), /UTF-16/);
});
