/**
 * Regressions of the "nothing lost" findings, each through a real import (parse worker, SQLite):
 * rows are compared field for field and every line is imported, duplicate or rejected.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, headerLine, toCsv } from '../../bench/generate';
import { COLUMN_IDS } from '../../common/columns';
import type { FileImportResult } from '../../common/contract';
import { listRejected } from '../../main/engine/import/history';
import { count, importFiles, workspace, type Workspace } from './import-fixture';

const I_TO = COLUMN_IDS.indexOf('message_to');
const I_USAGE = COLUMN_IDS.indexOf('usage_id');

/** Generated rows on one line each, so a record's line is its index + 2. */
function rows(n: number, seed = 7): string[][] {
  return [...generateRows({ rows: n, seed })].map((r) => r.map((f) => f.replace(/[\r\n]+/g, ' ')));
}

async function importText(
  w: Workspace,
  content: string | Buffer,
  opts: { chunkBytes?: number; encoding?: 'utf-8' | 'windows-1252' } = {},
): Promise<FileImportResult> {
  const file = path.join(w.dir, `in-${count(w.db, 'imports')}-${Date.now()}.csv`);
  writeFileSync(file, content);
  const f = (await importFiles(w.db, [file], opts)).files[0];
  assert.equal(f.error, undefined, f.error);
  return f;
}

function stored(db: Database, usageId: string): Record<string, unknown> {
  const r = db.prepare('SELECT * FROM records WHERE usage_id = ?').get(usageId) as
    Record<string, unknown> | undefined;
  assert.ok(r, `no record ${usageId}`);
  return r;
}

function assertSum(f: FileImportResult, records: number): void {
  assert.equal(
    f.imported + f.duplicates + f.rejected,
    records,
    'every record is imported, duplicate or rejected',
  );
  assert.equal(f.records, records);
}

test('a row holding U+001F across the 96 KiB chunk boundary is stored exactly, and no row after it is lost', async () => {
  const w = workspace();
  try {
    const data = rows(2000);
    const head = `${headerLine()}\r\n`;
    // Find the row that straddles the first chunk boundary and put U+001F into its Message To.
    let at = Buffer.byteLength(head);
    let straddler = 0;
    for (let i = 0; i < data.length; i++) {
      const len = Buffer.byteLength(toCsv([data[i]]).slice(head.length));
      if (at + len > 96 * 1024) {
        straddler = i;
        break;
      }
      at += len;
    }
    data[straddler][I_TO] = `weird\u001fname@example.com`;
    const f = await importText(w, toCsv(data));
    assert.equal(f.imported, 2000);
    assert.equal(f.rejected, 0);
    assertSum(f, 2000);
    const r = stored(w.db, data[straddler][I_USAGE]);
    assert.equal(r.message_to, 'weird\u001fname@example.com');
    assert.equal(r.usage_id, data[straddler][I_USAGE]);
    assert.equal(stored(w.db, data[straddler + 1][I_USAGE]).message_to, data[straddler + 1][I_TO]);
  } finally {
    w.cleanup();
  }
});

test('one stray Windows-1252 byte deep in a UTF-8 file rejects only its row, with the file offset', async () => {
  const w = workspace();
  try {
    const data = rows(20000);
    data[0][I_TO] = 'müller-größe€@web.de';
    const text = toCsv(data);
    const bad = 15000;
    const before = Buffer.from(toCsv(data.slice(0, bad)), 'utf8').length;
    const bytes = Buffer.from(text, 'utf8');
    // Replace the 'a' of the row's Message To ... with 0xE9 (é in Windows-1252): same length.
    const row = bytes.subarray(before);
    const pos = before + row.indexOf(Buffer.from(data[bad][I_TO])) + 1;
    bytes[pos] = 0xe9;
    assert.ok(bytes.length > 5 * 1024 * 1024, 'the stray byte sits past 5 MB');
    const f = await importText(w, bytes);
    assert.equal(f.encoding, 'utf-8');
    assert.equal(f.imported, 19999);
    assert.equal(f.rejected, 1);
    assert.equal(f.encodingRejected, 1);
    assertSum(f, 20000);
    const rej = listRejected(w.db, f.importId!, 0, 10).rows;
    assert.equal(rej[0].line, bad + 2);
    assert.match(rej[0].reason, new RegExp(`byte 0xE9 at file offset ${pos}\\b`));
    assert.equal(stored(w.db, data[0][I_USAGE]).message_to, 'müller-größe€@web.de', 'UTF-8 stays UTF-8');
  } finally {
    w.cleanup();
  }
});

test('a CESU surrogate in row 3 rejects row 3 only; forcing UTF-8 rejects bad bytes instead of storing U+FFFD', async () => {
  const w = workspace();
  try {
    const data = rows(10);
    const bytes = Buffer.from(toCsv(data), 'utf8');
    const at = bytes.indexOf(Buffer.from(data[2][I_TO]));
    const withSurrogate = Buffer.concat([
      bytes.subarray(0, at),
      Buffer.from([0xed, 0xa0, 0x80]),
      bytes.subarray(at),
    ]);
    const f = await importText(w, withSurrogate);
    assert.equal(f.encoding, 'utf-8');
    assert.deepEqual([f.imported, f.rejected], [9, 1]);
    assert.equal(f.errors[0].line, 4);
    const w2 = workspace();
    try {
      const latin = Buffer.from(toCsv(data).replace(data[5][I_TO], `Z\u00fcrich-${data[5][I_TO]}`), 'latin1');
      const forced = await importText(w2, latin, { encoding: 'utf-8' });
      assert.deepEqual([forced.imported, forced.rejected], [9, 1]);
      const n = w2.db
        .prepare("SELECT count(*) AS n FROM records WHERE message_to LIKE '%' || char(65533) || '%'")
        .get() as {
        n: number;
      };
      assert.equal(n.n, 0, 'no U+FFFD stored');
    } finally {
      w2.cleanup();
    }
  } finally {
    w.cleanup();
  }
});

test('a Windows-1252 file throughout still imports as Windows-1252, also when its first high byte comes late', async () => {
  const w = workspace();
  try {
    const data = rows(3000);
    data[2500][I_TO] = 'j\u00fcrgen.m\u00fcller\u20ac@web.de';
    const f = await importText(w, Buffer.from(toCsv(data).replace('\u20ac', '\x80'), 'latin1'));
    assert.equal(f.encoding, 'windows-1252');
    assert.ok(f.encodingSwitchedAt !== undefined && f.encodingSwitchedAt > 96 * 1024);
    assert.equal(f.imported, 3000);
    assert.equal(stored(w.db, data[2500][I_USAGE]).message_to, 'jürgen.müller€@web.de');
  } finally {
    w.cleanup();
  }
});

test('CR-only (Excel "CSV (Macintosh)") and mixed CRLF/LF/CR files import every row on its own line', async () => {
  const w = workspace();
  try {
    const data = rows(300);
    const crOnly = toCsv(data).replace(/\r\n/g, '\r');
    const f = await importText(w, crOnly, { chunkBytes: 4096 });
    assert.deepEqual([f.imported, f.rejected], [300, 0]);
    assert.equal(stored(w.db, data[299][I_USAGE]).line, 301);
    const w2 = workspace();
    try {
      const ends = ['\r\n', '\n', '\r'];
      const lines = toCsv(data).split('\r\n');
      let mixed = '';
      lines.forEach((l, i) => (mixed += l + (i < lines.length - 1 ? ends[i % 3] : '')));
      const g = await importText(w2, mixed, { chunkBytes: 4099 });
      assert.deepEqual([g.imported, g.rejected], [300, 0]);
      for (const i of [0, 1, 2, 150, 299]) assert.equal(stored(w2.db, data[i][I_USAGE]).line, i + 2);
    } finally {
      w2.cleanup();
    }
  } finally {
    w.cleanup();
  }
});

test('a closed 2 MB quoted field imports exactly; a 3 MB line is one record; later line numbers stay exact', async () => {
  const w = workspace();
  try {
    const data = rows(50);
    const big = `550 ${'x'.repeat(1_000_000)}\r\n"quoted",${'y'.repeat(1_000_000)}`;
    data[10][COLUMN_IDS.indexOf('smtp_status_code')] = big;
    data[20][COLUMN_IDS.indexOf('reference_job')] = 'z'.repeat(3_000_000);
    const f = await importText(w, toCsv(data));
    assert.deepEqual([f.imported, f.rejected], [50, 0]);
    assert.equal(stored(w.db, data[10][I_USAGE]).smtp_status_code, big);
    assert.equal(stored(w.db, data[20][I_USAGE]).reference_job, 'z'.repeat(3_000_000));
    // The big field spans two physical lines: every later record starts one line further down.
    assert.equal(stored(w.db, data[11][I_USAGE]).line, 14);
    assert.equal(stored(w.db, data[49][I_USAGE]).line, 52);
  } finally {
    w.cleanup();
  }
});

test('a record over 64 MiB is rejected whole with its lines, and parsing resumes right after it', async () => {
  const w = workspace();
  try {
    const data = rows(5);
    const huge = `${'h'.repeat(65 * 1024 * 1024)}\nsecond line`;
    data[2][COLUMN_IDS.indexOf('smtp_status_code')] = huge;
    const f = await importText(w, toCsv(data));
    assert.deepEqual([f.imported, f.rejected], [4, 1]);
    assertSum(f, 5);
    assert.equal(f.errors[0].line, 4);
    assert.match(f.errors[0].reason, /longer than 64 MiB \(lines 4-5\)/);
    assert.equal(stored(w.db, data[3][I_USAGE]).line, 6);
    assert.equal(stored(w.db, data[4][I_USAGE]).line, 7);
  } finally {
    w.cleanup();
  }
});

test('a header of 200 KiB (many extra columns) is read whole; a blank line before it is skipped', async () => {
  const w = workspace();
  try {
    const data = rows(20);
    const extra = Array.from({ length: 12000 }, (_, i) => `Extra Column ${i}`);
    const header = `${headerLine()},${extra.join(',')}`;
    assert.ok(header.length > 200 * 1024);
    const body = data.map(
      (r) => `${toCsv([r]).split('\r\n')[1]},${extra.map((_, i) => (i === 7 ? 'v7' : '')).join(',')}`,
    );
    const f = await importText(w, `\r\n\r\n${header}\r\n${body.join('\r\n')}\r\n`);
    assert.deepEqual([f.imported, f.rejected], [20, 0]);
    assert.equal(f.unknownColumns?.length, 12000);
    const r = stored(w.db, data[0][I_USAGE]);
    assert.equal(r.line, 4, 'the blank lines count as physical lines');
    assert.equal((JSON.parse(String(r.extra)) as Record<string, string>)['Extra Column 7'], 'v7');
  } finally {
    w.cleanup();
  }
});

test('NUL: ("a\\0b","c") and ("a","b\\0c") are two records, and a NUL early in the file is no reason to call it binary', async () => {
  const w = workspace();
  try {
    const data = rows(3);
    const a = [...data[0]];
    const b = [...data[0]];
    const I_REF = COLUMN_IDS.indexOf('reference_job');
    const I_CORR = COLUMN_IDS.indexOf('correlation_id');
    a[I_REF] = 'a\u0000b';
    a[I_CORR] = 'c';
    b[I_REF] = 'a';
    b[I_CORR] = 'b\u0000c';
    const f = await importText(w, toCsv([a, b, data[1], data[1]]));
    assert.deepEqual([f.imported, f.duplicates, f.rejected], [3, 1, 0]);
    const refs = (
      w.db.prepare('SELECT reference_job AS r, correlation_id AS c FROM records ORDER BY line').all() as {
        r: string;
        c: string;
      }[]
    ).slice(0, 2);
    assert.deepEqual(refs, [
      { r: 'a\u0000b', c: 'c' },
      { r: 'a', c: 'b\u0000c' },
    ]);
  } finally {
    w.cleanup();
  }
});
