import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../main/engine/db/open';
import * as migrations from '../../main/engine/db/migrations';
import { EngineHost } from '../../main/engine/worker/host';
import { WorkspaceSession, type Dialogs } from '../../main/shell/session';

/**
 * Finding 7 of the hardening review: workspaces from outside (drop, OS open, command line) opened with
 * trusted_schema on and were migrated on Electron's main thread.
 */
let dir: string;
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'di-ws-open-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

test('every connection, writer and read-only, runs with trusted_schema off', () => {
  const file = path.join(dir, 'trust.sqlite');
  const rw = openDatabase(file);
  const ro = openDatabase(file, { readonly: true });
  try {
    assert.equal(rw.pragma('trusted_schema', { simple: true }), 0);
    assert.equal(ro.pragma('trusted_schema', { simple: true }), 0);
  } finally {
    ro.close();
    rw.close();
  }
});

test('a view shipped in a crafted workspace cannot call a function with side effects', () => {
  const file = path.join(dir, 'crafted.sqlite');
  const raw = new BetterSqlite3(file);
  raw.exec('CREATE VIEW sneaky AS SELECT side_effect() AS x');
  raw.close();
  const db = openDatabase(file);
  let calls = 0;
  // An application function as the engine could register one; not marked innocuous.
  db.function('side_effect', () => ++calls);
  try {
    assert.equal((db.prepare('SELECT side_effect() AS x').get() as { x: number }).x, 1, 'direct use works');
    assert.throws(() => db.prepare('SELECT x FROM sneaky').get(), /unsafe use of side_effect/);
    assert.equal(calls, 1, 'the view did not run it');
  } finally {
    db.close();
  }
});

test('opening a workspace migrates it in the engine worker, never on the calling (main) thread', async () => {
  const mod = migrations as unknown as { migrate: typeof migrations.migrate };
  const original = mod.migrate;
  let onThisThread = 0;
  mod.migrate = (db) => {
    onThisThread++;
    return original(db);
  };
  const file = path.join(dir, 'fresh.sqlite');
  let host: EngineHost | null = null;
  try {
    host = await within(20_000, 'EngineHost.start', EngineHost.start(file));
    const info = await host.invoke('workspace:info', {});
    assert.equal(info.records, 0);
  } finally {
    mod.migrate = original;
    await host?.close();
  }
  assert.equal(onThisThread, 0, 'migrate() ran on the main thread');
  const check = new BetterSqlite3(file, { readonly: true });
  const version = check.pragma('user_version', { simple: true });
  check.close();
  assert.equal(version, migrations.MIGRATIONS[migrations.MIGRATIONS.length - 1]?.version, 'fully migrated');
});

test('a corrupt workspace fails to open with a clear error, is not restarted in a loop, and the current one stays', async () => {
  const bad = path.join(dir, 'corrupt.sqlite');
  // Passes the header check in main; only SQLite, in the worker, finds out.
  writeFileSync(bad, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0x41)]));
  await assert.rejects(within(20_000, 'EngineHost.start', EngineHost.start(bad)), (err: Error) => {
    assert.doesNotMatch(err.message, /took longer/);
    return true;
  });

  const dialogs: Dialogs = {
    pickImportFiles: () => Promise.resolve([]),
    pickExportPath: () => Promise.resolve(null),
    pickNewWorkspace: () => Promise.resolve(null),
    pickWorkspace: () => Promise.resolve(bad),
    showItemInFolder: () => undefined,
  };
  const { PathGrants } = await import('../../main/shell/grants');
  const session = new WorkspaceSession({
    userData: path.join(dir, 'user'),
    dialogs,
    grants: new PathGrants(),
    onChanged: () => undefined,
  });
  try {
    const good = await session.start();
    await assert.rejects(within(20_000, 'session.open', session.open(bad)));
    assert.equal(session.path, good.path, 'the workspace that was open stays open');
    const info = await session.host().invoke('workspace:info', {});
    assert.equal(info.path, good.path);
  } finally {
    await session.close();
  }
});
