import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { ExportRequest } from '../../common/contract';
import { generateRows } from '../../bench/generate';
import { EngineError } from '../../main/engine/errors';
import { AtomicFile } from '../../main/engine/export/atomic-file';
import { runExport } from '../../main/engine/export/exporter';
import { exportLookup } from '../../main/engine/export/lookup-csv';
import { main } from '../../main/cli/index';
import { fileDb, tempDir } from './export-fixture';

/**
 * Finding 9 of the hardening review: the temp file was renamed over whatever sat at the target, so a
 * symlink became a regular file and a device or FIFO was replaced (as root, /dev/full itself). Also
 * the fsync of the temp file and its folder before the rename.
 */
const ROWS = [...generateRows({ rows: 50, seed: 9 })];

function request(file: string): ExportRequest {
  return { jobId: 't', path: file, filter: {}, sort: [], delimiter: ',', bom: false };
}

const run = (db: Parameters<typeof runExport>[0], req: ExportRequest) =>
  runExport(db, req, { signal: new AbortController().signal, onProgress: () => undefined });

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof EngineError);
    assert.equal(err.code, 'EXPORT_FAILED');
    assert.match(err.message, message);
    return true;
  });
}

/** Only our temp files would be left behind by a failure: none may be. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.part'));
}

test('export onto a symlink writes the file it points to and leaves the link a link', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, ROWS);
    const real = path.join(dir, 'real.csv');
    writeFileSync(real, 'old');
    const link = path.join(dir, 'link.csv');
    symlinkSync(real, link);
    const result = await run(db, request(link));
    assert.equal(result.path, real);
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(readlinkSync(link), real);
    assert.match(readFileSync(real, 'utf8'), /^Creation Time,/);
    // The lookup export takes the same route.
    await exportLookup(db, { path: link, addresses: ['a@b.test'], delimiter: ',', bom: false });
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.match(readFileSync(real, 'utf8'), /^Address,/);
    db.close();
  } finally {
    cleanup();
  }
});

test('a dangling symlink is refused instead of creating its target somewhere', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, ROWS);
    const nowhere = path.join(dir, 'missing', 'x.csv');
    const link = path.join(dir, 'dangling.csv');
    symlinkSync(nowhere, link);
    await refused(run(db, request(link)), /link that leads to no file/);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(existsSync(nowhere), false);
    assert.deepEqual(leftovers(dir), []);
    db.close();
  } finally {
    cleanup();
  }
});

test('a symlink to the workspace database is refused like the database itself', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, ROWS);
    const link = path.join(dir, 'innocent.csv');
    symlinkSync(db.name, link);
    await assert.rejects(run(db, request(link)), /cannot overwrite the workspace database/);
    db.close();
  } finally {
    cleanup();
  }
});

function special(t: TestContext, cmd: string, args: string[]): boolean {
  if (process.platform === 'win32') {
    t.skip('no FIFOs or device nodes on Windows');
    return false;
  }
  const r = spawnSync(cmd, args);
  if (r.status !== 0) {
    t.skip(`${cmd} failed here (${r.stderr.toString().trim()}): needs root or a file system that allows it`);
    return false;
  }
  return true;
}

test('a FIFO is never replaced: refused with a clear message, still a FIFO', async (t) => {
  const { dir, cleanup } = tempDir();
  try {
    const fifo = path.join(dir, 'pipe.csv');
    if (!special(t, 'mkfifo', [fifo])) return;
    const db = fileDb(dir, ROWS);
    await refused(run(db, request(fifo)), /named pipe \(FIFO\).*regular files only/);
    assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
    // Through a symlink too.
    const link = path.join(dir, 'to-pipe.csv');
    symlinkSync(fifo, link);
    await refused(run(db, request(link)), /FIFO/);
    assert.deepEqual(leftovers(dir), []);
    db.close();
  } finally {
    cleanup();
  }
});

test('a device node is never replaced: the engine and the CLI refuse it (exit 1)', async (t) => {
  const { dir, cleanup } = tempDir();
  try {
    // A private copy of /dev/full (char 1,7), so a regression cannot touch the machine's own.
    const full = path.join(dir, 'full');
    if (!special(t, 'mknod', [full, 'c', '1', '7'])) return;
    const db = fileDb(dir, ROWS);
    await refused(run(db, request(full)), /it is a device/);
    assert.ok(lstatSync(full).isCharacterDevice(), 'still a device');
    db.close();
    let err = '';
    const code = await main(['export', '--db', path.join(dir, 'ws.sqlite'), '--out', full], {
      stdout: process.stdout,
      stderr: {
        write: (s: string) => {
          err += s;
          return true;
        },
      } as unknown as NodeJS.WritableStream,
    });
    assert.equal(code, 1);
    assert.match(err, /it is a device, and exports are written to regular files only/);
    assert.ok(lstatSync(full).isCharacterDevice());
    assert.deepEqual(leftovers(dir), []);
  } finally {
    cleanup();
  }
});

test('commit syncs the temp file and its folder before the rename, and the folder after it', async () => {
  const { dir, cleanup } = tempDir();
  const probe = await open(path.join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const original = proto.sync;
  const target = path.join(dir, 'durable.csv');
  const seen: boolean[] = [];
  proto.sync = function (this: unknown) {
    seen.push(existsSync(target));
    return original.call(this);
  };
  try {
    const file = await AtomicFile.create(target);
    await file.write(Buffer.from('a,b\r\n'));
    await file.commit();
  } finally {
    proto.sync = original;
    cleanup();
  }
  // Two syncs while the target did not exist yet (the data, then the folder), one after the rename.
  assert.deepEqual(seen, [false, false, true]);
});
