import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Papa from 'papaparse';
import { COLUMNS, COLUMN_IDS, type ColumnId } from '../../common/columns';
import type { ExportProgress, ExportRequest } from '../../common/contract';
import { generateRows, toCsv } from '../../bench/generate';
import { EngineError } from '../../main/engine/errors';
import { runExport } from '../../main/engine/export/exporter';
import { compileSelect } from '../../main/engine/query/select';
import { fileDb, tempDir } from './export-fixture';

function request(dir: string, over: Partial<ExportRequest> = {}): ExportRequest {
  return {
    jobId: 'job-1',
    path: path.join(dir, 'out.csv'),
    filter: {},
    sort: [{ column: 'creation_time', dir: 'asc' }],
    delimiter: ',',
    bom: false,
    formulaGuard: false,
    ...over,
  };
}

const run = (
  db: Parameters<typeof runExport>[0],
  req: ExportRequest,
  onProgress: (p: ExportProgress) => void = () => undefined,
) => runExport(db, req, { signal: new AbortController().signal, onProgress });

test('export with the guard off reproduces the generated export byte for byte', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const rows = [...generateRows({ rows: 3000, seed: 7 })];
    const db = fileDb(dir, rows);
    const result = await run(db, request(dir));
    db.close();
    const written = readFileSync(path.join(dir, 'out.csv'), 'utf8');
    assert.equal(written, toCsv(rows));
    assert.equal(result.rowsWritten, 3000);
    assert.equal(result.expectedRows, 3000);
    assert.equal(result.bytes, Buffer.byteLength(written));
    assert.equal(result.path, path.join(dir, 'out.csv'));
  } finally {
    cleanup();
  }
});

test('chosen columns come out in the chosen order with their export headers', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const rows = [...generateRows({ rows: 50, seed: 3 })];
    const db = fileDb(dir, rows);
    const columns: ColumnId[] = ['message_to', 'status', 'message_size', 'creation_time'];
    await run(db, request(dir, { columns }));
    db.close();
    const parsed = Papa.parse<string[]>(readFileSync(path.join(dir, 'out.csv'), 'utf8'), {
      skipEmptyLines: true,
    });
    assert.deepEqual(parsed.data[0], ['Message To', 'Status', 'Message Size', 'Creation Time']);
    const idx = columns.map((c) => COLUMN_IDS.indexOf(c));
    assert.deepEqual(
      parsed.data.slice(1),
      rows.map((r) => idx.map((i) => r[i])),
    );
  } finally {
    cleanup();
  }
});

test('a filtered export writes exactly the rows the filter counts, newest first', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const rows = [...generateRows({ rows: 2000, seed: 11 })];
    const db = fileDb(dir, rows);
    const result = await run(
      db,
      request(dir, {
        filter: { conditions: [{ type: 'enum', column: 'status', values: ['ERROR'] }] },
        sort: [{ column: 'creation_time', dir: 'desc' }],
      }),
    );
    db.close();
    const expected = rows.filter((r) => r[7] === 'ERROR').reverse();
    assert.ok(expected.length > 100);
    assert.equal(result.rowsWritten, expected.length);
    assert.equal(result.expectedRows, expected.length);
    assert.equal(readFileSync(path.join(dir, 'out.csv'), 'utf8'), toCsv(expected));
  } finally {
    cleanup();
  }
});

test('rows come out in exactly the order of the query engine, ties included', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, generateRows({ rows: 1500, seed: 17 }));
    for (const sort of [
      [{ column: 'status', dir: 'asc' }],
      [
        { column: 'processing_region', dir: 'desc' },
        { column: 'message_size', dir: 'asc' },
      ],
    ] as const) {
      const columns: ColumnId[] = ['usage_id', 'status', 'processing_region', 'message_size'];
      await run(db, request(dir, { sort, columns, filter: { q: 'status:ERROR' } }));
      const q = compileSelect({ q: 'status:ERROR' }, sort, columns);
      const direct = (
        db
          .prepare(q.sql)
          .raw(true)
          .all(...q.params) as unknown[][]
      ).map((r) => r.join(','));
      const lines = readFileSync(path.join(dir, 'out.csv'), 'utf8').split('\r\n').slice(1, -1);
      assert.ok(direct.length > 100);
      assert.deepEqual(lines, direct);
    }
    db.close();
  } finally {
    cleanup();
  }
});

test('a filter matching nothing still writes the header line', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, generateRows({ rows: 20 }));
    const result = await run(
      db,
      request(dir, { filter: { conditions: [{ type: 'enum', column: 'status', values: ['NOPE'] }] } }),
    );
    db.close();
    assert.equal(result.rowsWritten, 0);
    assert.equal(result.expectedRows, 0);
    assert.equal(
      readFileSync(path.join(dir, 'out.csv'), 'utf8'),
      `${COLUMNS.map((c) => c.header).join(',')}\r\n`,
    );
  } finally {
    cleanup();
  }
});

test('progress reports rows against the filter total and ends at the total', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, generateRows({ rows: 12000, seed: 5 }));
    const seen: ExportProgress[] = [];
    await run(db, request(dir, { jobId: 'p-1' }), (p) => seen.push(p));
    db.close();
    assert.ok(seen.length >= 2);
    assert.ok(seen.every((p) => p.jobId === 'p-1' && p.totalRows === 12000));
    assert.equal(seen[0]?.rowsWritten, 0);
    assert.equal(seen.at(-1)?.rowsWritten, 12000);
    for (let i = 1; i < seen.length; i++)
      assert.ok((seen[i]?.rowsWritten ?? 0) >= (seen[i - 1]?.rowsWritten ?? 0));
  } finally {
    cleanup();
  }
});

test('bad requests get typed errors and create no file', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, generateRows({ rows: 5 }));
    const cases: Partial<ExportRequest>[] = [
      { columns: [] },
      { columns: ['message_to', 'message_to'] },
      { columns: ['message_to; DROP TABLE records' as ColumnId] },
      { delimiter: '|' as ',' },
      { path: '' },
      { path: path.join(dir, 'ws.sqlite') },
    ];
    for (const c of cases) {
      await assert.rejects(
        run(db, request(dir, c)),
        (e: unknown) => e instanceof EngineError && e.code === 'INVALID_ARGUMENT',
        JSON.stringify(c),
      );
    }
    await assert.rejects(
      run(db, request(dir, { path: path.join(dir, 'missing', 'out.csv') })),
      (e: unknown) =>
        e instanceof EngineError && e.code === 'EXPORT_FAILED' && /folder does not exist/.test(e.message),
    );
    mkdirSync(path.join(dir, 'taken.csv'));
    await assert.rejects(
      run(db, request(dir, { path: path.join(dir, 'taken.csv') })),
      (e: unknown) => e instanceof EngineError && e.code === 'EXPORT_FAILED' && /is a folder/.test(e.message),
    );
    rmSync(path.join(dir, 'taken.csv'), { recursive: true });
    assert.equal((db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n, 5);
    db.close();
    assert.deepEqual(
      readdirSync(dir).filter((f) => !f.startsWith('ws.sqlite')),
      [],
    );
  } finally {
    cleanup();
  }
});

test('cancel mid-export leaves neither the target nor a temp file', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, generateRows({ rows: 15000, seed: 9 }));
    const ac = new AbortController();
    const req = request(dir);
    let tempSeen = false;
    // The first progress event comes once the temp file exists and before the first chunk is written.
    const done = runExport(db, req, {
      signal: ac.signal,
      onProgress: () => {
        tempSeen ||= readdirSync(dir).some((f) => f.endsWith('.part'));
        ac.abort();
      },
    });
    await assert.rejects(done, (e: unknown) => e instanceof EngineError && e.code === 'CANCELLED');
    db.close();
    assert.ok(tempSeen);
    assert.equal(existsSync(req.path), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => !f.startsWith('ws.sqlite')),
      [],
    );
  } finally {
    cleanup();
  }
});

test('cancel keeps an existing file of the same name untouched', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, generateRows({ rows: 15000, seed: 9 }));
    const req = request(dir);
    writeFileSync(req.path, 'previous export');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      runExport(db, req, { signal: ac.signal, onProgress: () => undefined }),
      (e: unknown) => e instanceof EngineError && e.code === 'CANCELLED',
    );
    db.close();
    assert.equal(readFileSync(req.path, 'utf8'), 'previous export');
    assert.deepEqual(
      readdirSync(dir)
        .filter((f) => !f.startsWith('ws.sqlite'))
        .sort(),
      ['out.csv'],
    );
  } finally {
    cleanup();
  }
});
