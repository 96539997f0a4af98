/**
 * The kept memories' arrays in chunks (memory-chunks.ts): an array larger than a chunk reads back
 * byte for byte and aligned; a one-row array (the format before chunks) reads as before; an array
 * with a chunk missing, of another bound or not a blob is left out, never joined wrong.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { CHUNK_BYTES, chunkRows, readChunks } from '../../main/engine/query/memory-chunks';

function table(): BetterSqlite3.Database {
  const db = new BetterSqlite3(':memory:');
  db.exec(
    'CREATE TABLE kept (name TEXT PRIMARY KEY, generation TEXT NOT NULL, upto INTEGER NOT NULL, data BLOB NOT NULL)',
  );
  return db;
}

function put(
  db: BetterSqlite3.Database,
  rows: readonly [string, number, Buffer | string][],
  generation = '3',
): void {
  const ins = db.prepare('INSERT INTO kept VALUES (?, ?, ?, ?)');
  for (const [name, upto, data] of rows) ins.run(name, generation, upto, data);
}

test('an array over a chunk is written in chunks and read back whole; a missing or odd chunk leaves the array out', () => {
  const n = Math.ceil((2.5 * CHUNK_BYTES) / 8);
  const t = new Float64Array(n).map((_, i) => i * 1.5 + 0.25);
  const bytes = Buffer.from(t.buffer);
  const small = Buffer.from([1, 2, 3, 4]);
  const rows = chunkRows([
    ['facts.t', n - 1, bytes],
    ['facts.cid', n - 1, small],
  ]);
  assert.deepEqual(
    rows.map(([name, , data]) => [name, data.length]),
    [
      ['facts.t', CHUNK_BYTES],
      ['facts.t#1', CHUNK_BYTES],
      ['facts.t#2', bytes.length - 2 * CHUNK_BYTES],
      ['facts.cid', 4],
    ],
  );
  const db = table();
  try {
    put(db, rows);
    const parts = readChunks(db, 'kept', '3', 'facts');
    const back = parts.get('facts.t');
    assert.ok(back !== undefined);
    assert.equal(back.upto, n - 1);
    assert.ok(back.data.equals(bytes), 'byte for byte');
    assert.equal(back.data.byteOffset % 8, 0, 'aligned for a Float64Array view');
    assert.deepEqual(new Float64Array(back.data.buffer, back.data.byteOffset, n), t);
    assert.ok(parts.get('facts.cid')?.data.equals(small), 'one chunk: the format before chunks');
    assert.deepEqual([...readChunks(db, 'kept', '3', 'values').keys()], [], 'another prefix');
    assert.deepEqual([...readChunks(db, 'kept', '2', 'facts').keys()], [], 'another generation');

    db.prepare("UPDATE kept SET upto = upto + 1 WHERE name = 'facts.t#2'").run();
    assert.equal(readChunks(db, 'kept', '3', 'facts').has('facts.t'), false, 'a chunk of another bound');
    db.prepare("UPDATE kept SET upto = upto - 1 WHERE name = 'facts.t#2'").run();
    db.prepare("UPDATE kept SET data = 'x' WHERE name = 'facts.t#1'").run();
    assert.equal(readChunks(db, 'kept', '3', 'facts').has('facts.t'), false, 'a chunk that is not a blob');
    db.prepare("DELETE FROM kept WHERE name = 'facts.t#1'").run();
    assert.equal(readChunks(db, 'kept', '3', 'facts').has('facts.t'), false, 'a chunk missing');
    assert.ok(readChunks(db, 'kept', '3', 'facts').get('facts.cid')?.data.equals(small), 'the others stay');
  } finally {
    db.close();
  }
});
