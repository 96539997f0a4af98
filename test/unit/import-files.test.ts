import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateRows, headerLine, toCsv } from '../../bench/generate';
import { listImports, listRejected } from '../../main/engine/import/history';
import {
  count,
  doneImports,
  fixture,
  importFiles,
  indexNames,
  record,
  stoppedImports,
  workspace,
} from './import-fixture';
import { RECORD_INDEXES } from '../../main/engine/db/migrations';

test('older header names in another order map onto the columns; unknown columns are kept and reported', async () => {
  const w = workspace();
  try {
    const r = await importFiles(w.db, [fixture('aliases-reordered.csv')]);
    const f = r.files[0];
    assert.equal(f.error, undefined);
    assert.equal(f.imported, 2);
    assert.deepEqual(f.unknownColumns, ['Portal Note']);
    assert.equal(f.timezoneAssumed, 'UTC', 'one time had no zone');
    const a = record(w.db, 'c-alias-1');
    assert.equal(a.message_to, 'jane.doe@gmail.com');
    assert.equal(a.technical_account_id, 'TA7');
    assert.equal(a.entry_interface, 'rest');
    assert.equal(a.processing_region, 'DE2');
    assert.equal(a.creation_time, '2026-10-01T08:15:30.250Z');
    assert.equal(a.creation_time_ms, Date.UTC(2026, 9, 1, 8, 15, 30, 250));
    assert.equal(a.tenant, null, 'a missing optional column stays empty');
    assert.equal(a.extra, JSON.stringify({ 'Portal Note': 'checked' }));
    const b = record(w.db, 'c-alias-2');
    assert.equal(b.extra, null);
    assert.equal(b.smtp_code, 550);
    assert.equal(b.smtp_enhanced, '5.1.1');
    assert.equal(b.line, 3);
  } finally {
    w.cleanup();
  }
});

test('a ;-delimited UTF-8 file with BOM and CRLF imports with the right values', async () => {
  const w = workspace();
  try {
    const f = (await importFiles(w.db, [fixture('semicolon-bom-crlf.csv')])).files[0];
    assert.equal(f.delimiter, ';');
    assert.equal(f.encoding, 'utf-8');
    assert.equal(f.imported, 2);
    const a = record(w.db, 'c-semi-1');
    assert.equal(a.creation_time, '2026-10-02 10:00:00');
    assert.equal(a.message_to, 'jürgen.müller@web.de');
    assert.equal(a.smtp_status_code, '250 2.0.0 OK; queued');
    assert.equal(a.processing_region, 'DE1', 'no CR left on the last field');
    assert.equal(a.message_size, 2048);
    const b = record(w.db, 'c-semi-2');
    assert.equal(b.creation_time_ms, Date.UTC(2026, 9, 2, 11, 30, 45));
  } finally {
    w.cleanup();
  }
});

test('an Excel `sep=;` first line sets the delimiter and is not taken for the header', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'excel.csv');
    const rows = [...generateRows({ rows: 3 })].map((r) =>
      r.map((v) => (/[";\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(';'),
    );
    writeFileSync(file, ['sep=;', headerLine(';'), ...rows].join('\r\n'));
    const f = (await importFiles(w.db, [file])).files[0];
    assert.equal(f.delimiter, ';');
    assert.deepEqual([f.imported, f.rejected], [3, 0]);
    const lines = (w.db.prepare('SELECT line FROM records ORDER BY line').all() as { line: number }[]).map(
      (r) => r.line,
    );
    assert.equal(lines[0], 3, 'line numbers stay physical');
  } finally {
    w.cleanup();
  }
});

test('Windows-1252 umlauts are stored as the right Unicode text', async () => {
  const w = workspace();
  try {
    const f = (await importFiles(w.db, [fixture('cp1252-umlauts.csv')])).files[0];
    assert.equal(f.encoding, 'windows-1252');
    assert.equal(f.imported, 2);
    assert.equal(record(w.db, 'c-cp-1').message_to, 'jörg.weiß@firma.ch');
    assert.equal(record(w.db, 'c-cp-1').cost_center, 'Kostenstelle Süd €');
    assert.equal(record(w.db, 'c-cp-2').message_to, 'zoë@kunde.de');
    assert.equal(record(w.db, 'c-cp-2').cost_center, 'Ärger');
  } finally {
    w.cleanup();
  }
});

test('a file that is UTF-8 in its first 64 KiB but Windows-1252 later is read as Windows-1252', async () => {
  const w = workspace();
  try {
    const rows = [...generateRows({ rows: 400 })];
    rows[399][14] = 'Geb\u00e4ude';
    const file = path.join(w.dir, 'late.csv');
    writeFileSync(file, Buffer.from(toCsv(rows), 'latin1'));
    const f = (await importFiles(w.db, [file])).files[0];
    assert.equal(f.encoding, 'windows-1252');
    assert.equal(f.imported, 400);
    assert.equal(count(w.db, 'imports'), 1, 'the first attempt left nothing behind');
    assert.equal(record(w.db, rows[399][12]).cost_center, 'Gebäude');
  } finally {
    w.cleanup();
  }
});

test('multi-line quoted SMTP texts are kept byte for byte', async () => {
  const w = workspace();
  try {
    const f = (await importFiles(w.db, [fixture('multiline-smtp.csv')])).files[0];
    assert.equal(f.imported, 3);
    assert.equal(f.rejected, 0);
    const a = record(w.db, 'c-ml-1');
    assert.equal(
      a.smtp_status_code,
      '550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking the recipient\'s email address for "typos" or\r\n550 5.1.1 unnecessary spaces, https://support.google.com/mail/?p=NoSuchUser',
    );
    assert.equal(a.smtp_code, 550);
    const b = record(w.db, 'c-ml-2');
    assert.equal(
      b.smtp_status_code,
      '[5.2.0] bounced (host mx.web.de said: 550 5.2.0 mailbox unavailable)\nsecond line, with comma',
    );
    assert.equal(b.line, 5);
    assert.equal(record(w.db, 'c-ml-3').line, 7);
  } finally {
    w.cleanup();
  }
});

test('each kind of bad row is rejected with its line number and reason; the rest imports', async () => {
  const w = workspace();
  try {
    const f = (await importFiles(w.db, [fixture('bad-rows.csv')])).files[0];
    assert.equal(f.error, undefined);
    assert.equal(f.imported, 5);
    assert.equal(f.rejected, 5);
    const byLine = new Map(f.errors.map((e) => [e.line, e]));
    assert.match(byLine.get(3)?.reason ?? '', /too few fields/);
    assert.match(byLine.get(4)?.reason ?? '', /too many fields/);
    assert.match(byLine.get(5)?.reason ?? '', /unparsable timestamp/);
    assert.equal(byLine.get(5)?.column, 'Creation Time');
    assert.match(byLine.get(6)?.reason ?? '', /not a whole number/);
    assert.equal(byLine.get(6)?.column, 'Message Size');
    assert.match(byLine.get(10)?.reason ?? '', /quote/);
    assert.deepEqual(
      (w.db.prepare('SELECT line FROM records ORDER BY line').all() as { line: number }[]).map((r) => r.line),
      [2, 7, 9, 11, 12],
    );
    const stored = listRejected(w.db, f.importId!, 0, 100);
    assert.equal(stored.total, 5);
    assert.ok(stored.rows[0]?.raw.includes('c-few'), 'the raw text is kept');
    const history = listImports(w.db);
    assert.equal(history[0]?.rejected, 5);
    assert.equal(history[0]?.status, 'done');
  } finally {
    w.cleanup();
  }
});

test('files that are not delivery exports fail whole and leave the database untouched', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [fixture('semicolon-bom-crlf.csv')]);
    const before = { records: count(w.db, 'records'), imports: doneImports(w.db) };
    const r = await importFiles(w.db, [
      fixture('empty.csv'),
      fixture('binary.png'),
      fixture('unrelated.csv'),
      fixture('missing-required.csv'),
      path.join(w.dir, 'nope.csv'),
    ]);
    const errors = r.files.map((f) => f.error ?? '');
    assert.match(errors[0], /empty/);
    assert.match(errors[1], /not a CSV text file/);
    assert.match(errors[2], /not a Retarus delivery export/);
    assert.match(errors[3], /Creation Time/);
    assert.match(errors[4], /not found/);
    for (const f of r.files) assert.equal(f.imported, 0);
    assert.deepEqual({ records: count(w.db, 'records'), imports: doneImports(w.db) }, before);
    assert.equal(count(w.db, 'rejected_rows'), 0);
    // Each failed file is in the history with the reason the result gave.
    assert.deepEqual(
      stoppedImports(w.db),
      errors.map((error) => ({ status: 'failed', error })),
    );
  } finally {
    w.cleanup();
  }
});

test('a header-only export is a valid import of zero rows', async () => {
  const w = workspace();
  try {
    const f = (await importFiles(w.db, [fixture('header-only.csv')])).files[0];
    assert.equal(f.error, undefined);
    assert.equal(f.imported, 0);
    assert.equal(count(w.db, 'imports'), 1);
    const names = indexNames(w.db);
    for (const i of [...RECORD_INDEXES.map((x) => x.name), 'records_row_key'])
      assert.ok(names.includes(i), `index ${i} rebuilt`);
  } finally {
    w.cleanup();
  }
});

test('the same file twice, or overlapping exports, store each record once and count duplicates', async () => {
  const w = workspace();
  try {
    const rows = [...generateRows({ rows: 150 })];
    const a = path.join(w.dir, 'a.csv');
    const b = path.join(w.dir, 'b.csv');
    writeFileSync(a, toCsv(rows.slice(0, 100)));
    // b has other header names and a ; delimiter: still the same records.
    const semi = (v: string): string => (/[";\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const header = headerLine(';').replace('Message To', 'Recipient');
    writeFileSync(b, [header, ...rows.slice(50).map((r) => r.map(semi).join(';'))].join('\n'));
    const first = await importFiles(w.db, [a, b]);
    assert.deepEqual(
      first.files.map((f) => [f.imported, f.duplicates]),
      [
        [100, 0],
        [50, 50],
      ],
    );
    // Every record points at its own file's imports row (written when the file is done), with its counts.
    const ids = first.files.map((f) => f.importId);
    assert.deepEqual(
      w.db
        .prepare('SELECT import_id AS id, count(*) AS n FROM records GROUP BY import_id ORDER BY import_id')
        .all(),
      [
        { id: ids[0], n: 100 },
        { id: ids[1], n: 50 },
      ],
    );
    assert.deepEqual(
      listImports(w.db)
        .map((i) => [i.id, i.imported, i.duplicates, i.status])
        .sort((x, y) => Number(x[0]) - Number(y[0])),
      [
        [ids[0], 100, 0, 'done'],
        [ids[1], 50, 50, 'done'],
      ],
    );
    assert.deepEqual(w.db.pragma('foreign_key_check'), []);
    const repeated = path.join(w.dir, 'repeated.csv');
    writeFileSync(repeated, toCsv([rows[0], rows[1], rows[0]]));
    const fresh = workspace();
    try {
      // Into an empty workspace the dedupe index is built after the load; the repeat is still caught.
      const r = (await importFiles(fresh.db, [repeated])).files[0];
      assert.deepEqual([r.imported, r.duplicates], [2, 1]);
      assert.equal(count(fresh.db, 'records'), 2);
      assert.ok(indexNames(fresh.db).includes('records_row_key'));
    } finally {
      fresh.cleanup();
    }
    // Forced past the identical-file check (import-identical.test.ts), every row is a duplicate.
    const again = await importFiles(w.db, [a], { force: true });
    assert.deepEqual([again.files[0]?.imported, again.files[0]?.duplicates], [0, 100]);
    assert.equal(count(w.db, 'records'), 150);
  } finally {
    w.cleanup();
  }
});
