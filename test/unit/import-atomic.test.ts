import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { writeExport } from '../../bench/generate';
import type { ImportProgress } from '../../common/contract';
import { RECORD_INDEXES } from '../../main/engine/db/migrations';
import { openDatabase } from '../../main/engine/db/open';
import { EngineHost } from '../../main/engine/worker/host';
import {
  count,
  doneImports,
  fixture,
  importFiles,
  indexNames,
  stoppedImports,
  workspace,
  killDuring,
} from './import-fixture';

function snapshot(db: Database): {
  records: number;
  imports: number;
  rejected: number;
  indexes: string[];
  check: unknown;
} {
  return {
    records: count(db, 'records'),
    imports: doneImports(db),
    rejected: count(db, 'rejected_rows'),
    indexes: indexNames(db),
    check: db.pragma('quick_check', { simple: true }),
  };
}

test('cancelling mid-import leaves the database exactly as before (also when indexes were dropped)', async () => {
  for (const seeded of [true, false]) {
    const w = workspace();
    try {
      if (seeded) await importFiles(w.db, [fixture('bad-rows.csv')]);
      const big = path.join(w.dir, 'big.csv');
      await writeExport(big, { rows: 40_000 });
      const before = snapshot(w.db);
      const ac = new AbortController();
      const r = await importFiles(w.db, [big, fixture('multiline-smtp.csv')], {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase === 'rows' && p.rows > 0) ac.abort();
        },
      });
      assert.equal(r.cancelled, true);
      assert.equal(r.files.length, 1, 'files after the cancelled one are not started');
      assert.match(r.files[0]?.error ?? '', /Cancelled/);
      assert.deepEqual(snapshot(w.db), before);
      assert.equal(before.check, 'ok');
      // The history shows the cancelled file and why (its rows stay rolled back).
      assert.deepEqual(stoppedImports(w.db), [
        { status: 'cancelled', error: 'Cancelled: nothing of this file was stored.' },
      ]);
      for (const i of [...RECORD_INDEXES.map((x) => x.name), 'records_row_key'])
        assert.ok(before.indexes.includes(i), i);
    } finally {
      w.cleanup();
    }
  }
});

test('a process killed (SIGKILL) mid-import leaves a consistent database with the old rows', async () => {
  for (const phase of ['rows', 'indexes'] as const) {
    const w = workspace();
    try {
      if (phase === 'rows') await importFiles(w.db, [fixture('multiline-smtp.csv')]);
      const big = path.join(w.dir, 'big.csv');
      await writeExport(big, { rows: 40_000 });
      const before = snapshot(w.db);
      w.db.close();
      const outcome = await killDuring(w.dbPath, big, phase, w.dir);
      assert.match(outcome, /^SIGKILL reached/, `the child was killed during ${phase}: ${outcome}`);
      const db = openDatabase(w.dbPath);
      try {
        assert.deepEqual(snapshot(db), before);
        assert.equal(snapshot(db).check, 'ok');
      } finally {
        db.close();
      }
    } finally {
      w.cleanup();
    }
  }
});

test('progress arrives during a large import and reads are answered meanwhile', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [fixture('multiline-smtp.csv')]);
    const big = path.join(w.dir, 'big.csv');
    await writeExport(big, { rows: 60_000 });
    const reader = openDatabase(w.dbPath, { readonly: true });
    const events: ImportProgress[] = [];
    const seenByReader: number[] = [];
    try {
      const r = await importFiles(w.db, [big], {
        onProgress: (p) => {
          events.push(p);
          if (p.phase === 'rows') seenByReader.push(count(reader, 'records'));
        },
      });
      assert.equal(r.files[0]?.imported, 60_000);
      const rows = events.filter((e) => e.phase === 'rows');
      assert.ok(rows.length >= 2, `several row events (${rows.length})`);
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i].rows >= rows[i - 1].rows);
      for (const e of rows) {
        assert.ok(e.bytesRead <= e.totalBytes);
        assert.equal(e.fileCount, 1);
      }
      assert.ok(rows.some((e) => e.rows > 0 && e.rowsPerSecond > 0 && e.bytesRead > 0));
      assert.equal(events.at(-1)?.phase, 'done');
      // The reader saw the committed state (3 rows) while the import ran, without waiting.
      assert.ok(seenByReader.length > 0 && seenByReader.every((n) => n === 3));
      assert.equal(count(reader, 'records'), 60_003);
    } finally {
      reader.close();
    }
  } finally {
    w.cleanup();
  }
});

test('through the engine host: the import runs in the writer worker, reads are answered meanwhile, cancel works', async () => {
  const w = workspace();
  w.db.close();
  const host = EngineHost.open(w.dbPath);
  try {
    const first = path.join(w.dir, 'first.csv');
    const second = path.join(w.dir, 'second.csv');
    await writeExport(first, { rows: 30_000 });
    await writeExport(second, { rows: 30_000, seed: 7 });
    const reads: Promise<number>[] = [];
    const off = host.on('import:progress', (p) => {
      if (p.jobId === 'a' && p.phase === 'rows' && reads.length === 0)
        reads.push(host.invoke('workspace:info', {}).then((i) => i.records));
      if (p.jobId === 'b' && p.phase === 'rows' && p.rows > 0)
        void host.invoke('import:cancel', { jobId: 'b' });
    });
    const a = await host.invoke('import:start', { jobId: 'a', paths: [first] });
    assert.equal(a.files[0]?.imported, 30_000);
    assert.deepEqual(await Promise.all(reads), [0], 'the reader answered from the state before the commit');
    const b = await host.invoke('import:start', { jobId: 'b', paths: [second] });
    off();
    assert.equal(b.cancelled, true);
    assert.equal((await host.invoke('workspace:info', {})).records, 30_000);
    assert.deepEqual(
      (await host.invoke('imports:list', {})).map((h) => [h.fileName, h.status, h.imported]),
      [
        ['second.csv', 'cancelled', 0],
        ['first.csv', 'done', 30_000],
      ],
    );
  } finally {
    await host.close();
    w.cleanup();
  }
});
