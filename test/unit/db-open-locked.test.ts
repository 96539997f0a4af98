/**
 * Opening a workspace that another program is writing to. SQLite does not wait for the lock upgrade
 * that switching a new (rollback-mode) file to WAL needs: the writer's open failed at once with an
 * internal "database is locked", and the app could not open the workspace at all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../main/engine/db/open';
import { EngineError } from '../../main/engine/errors';

const dirs: string[] = [];
const fresh = (): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-open-locked-'));
  dirs.push(dir);
  return path.join(dir, 'ws.sqlite');
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('a new file held by another program fails to open with a clear error, and opens once released', () => {
  const file = fresh();
  const other = new BetterSqlite3(file);
  other.exec('BEGIN IMMEDIATE');
  other.exec('CREATE TABLE theirs(x)');
  try {
    assert.throws(
      () => openDatabase(file, { lockedWaitMs: 200 }),
      (err: unknown) =>
        err instanceof EngineError &&
        err.code === 'ENGINE_UNAVAILABLE' &&
        /ws\.sqlite is locked by another program writing to it/.test(err.message),
    );
  } finally {
    other.exec('COMMIT');
    other.close();
  }
  const db = openDatabase(file, { lockedWaitMs: 200 });
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    // The other program's table is untouched, and the workspace's schema is there.
    assert.deepEqual(db.prepare('SELECT count(*) AS n FROM theirs').get(), { n: 0 });
    assert.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'records'").get());
  } finally {
    db.close();
  }
});

test('the open waits while another process holds the lock briefly, then succeeds', async () => {
  const file = fresh();
  // Another process (as a CLI would be) creates the file and holds its write lock for 400 ms.
  const script = `
    const B = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new B(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE'); db.exec('CREATE TABLE theirs(x)');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => (d.toString().includes('locked') ? resolve() : undefined));
    child.on('exit', () => reject(new Error('the locking process ended before it locked')));
  });
  const started = Date.now();
  const db = openDatabase(file);
  try {
    // It waited for the lock rather than failing at once (not a timing target: a lower bound).
    assert.ok(
      Date.now() - started >= 100,
      `opened after ${Date.now() - started} ms, before the lock was released`,
    );
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    db.close();
  }
  await exited;
});
