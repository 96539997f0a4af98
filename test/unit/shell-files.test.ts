import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Envelope, ExportResult, ImportProgress, ImportResult } from '../../common/contract';
import { classifyFiles, fileArgs, safeExportName } from '../../main/shell/files';
import {
  NOTIFY_AFTER_MS,
  exportFraction,
  exportNotice,
  importFraction,
  importNotice,
} from '../../main/shell/jobs';
import {
  MAX_RECENT,
  RecentWorkspaces,
  assertOpenableWorkspace,
  defaultWorkspacePath,
  deleteWorkspaceFiles,
  withWorkspaceExt,
} from '../../main/shell/workspaces';

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'di-shell-files-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('argv: files after the app path, switches dropped, dev and packaged layouts', () => {
  assert.deepEqual(fileArgs(['/usr/bin/electron', '.', 'a.csv', '--inspect=9229', 'b.csv'], true), [
    'a.csv',
    'b.csv',
  ]);
  assert.deepEqual(
    fileArgs(['C:\\DI\\Delivery Inspector.exe', 'C:\\x\\a.csv', '--allow-file-access'], false),
    ['C:\\x\\a.csv'],
  );
  assert.deepEqual(fileArgs(['/Applications/DI', '-psn_0_123'], false), []);
});

test('opened files: exports are imported, .sqlite opened as a workspace, others ignored', () => {
  writeFileSync(path.join(dir, 'jan.csv'), 'x');
  writeFileSync(path.join(dir, 'feb.TXT'), 'x');
  writeFileSync(path.join(dir, 'case.sqlite'), '');
  writeFileSync(path.join(dir, 'notes.docx'), 'x');
  mkdirSync(path.join(dir, 'folder.csv'), { recursive: true });
  const r = classifyFiles(
    ['jan.csv', path.join(dir, 'feb.TXT'), 'case.sqlite', 'notes.docx', 'folder.csv', 'missing.csv', ''],
    dir,
  );
  assert.deepEqual(r.imports, [path.join(dir, 'jan.csv'), path.join(dir, 'feb.TXT')]);
  assert.deepEqual(r.workspaces, [path.join(dir, 'case.sqlite')]);
});

test('export names suggested by the page cannot pick a folder or an unsafe name', () => {
  assert.equal(safeExportName('bounces 2026-11'), 'bounces 2026-11.csv');
  assert.equal(safeExportName('../../.bashrc'), '_.._.bashrc.csv');
  assert.equal(safeExportName('C:\\Windows\\evil.csv'), 'C__Windows_evil.csv');
  assert.equal(safeExportName('a<b>:"|?*\u0007.csv'), 'a_b_______.csv');
  assert.equal(safeExportName(''), 'export.csv');
  assert.equal(safeExportName('...'), 'export.csv');
  assert.ok(safeExportName('x'.repeat(500)).length <= 124);
});

test('workspace paths: default under user data, .sqlite added when missing', () => {
  assert.equal(
    defaultWorkspacePath('/home/ann/.config/DI'),
    '/home/ann/.config/DI/workspaces/default.sqlite',
  );
  assert.equal(withWorkspaceExt('/c/case'), '/c/case.sqlite');
  assert.equal(withWorkspaceExt('/c/case.SQLITE'), '/c/case.SQLITE');
});

test('only SQLite files (or new/empty ones) may be opened as workspaces', () => {
  const notDb = path.join(dir, 'report.sqlite');
  writeFileSync(notDb, 'this is a spreadsheet, honest');
  assert.throws(() => assertOpenableWorkspace(notDb), /not a Delivery Inspector workspace/);
  const db = path.join(dir, 'real.sqlite');
  writeFileSync(db, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(84)]));
  assert.doesNotThrow(() => assertOpenableWorkspace(db));
  assert.doesNotThrow(() => assertOpenableWorkspace(path.join(dir, 'new.sqlite')));
  assert.throws(() => assertOpenableWorkspace('relative.sqlite'), /absolute/);
  assert.throws(() => assertOpenableWorkspace(dir), /Not a file/);
});

test('deleting a workspace removes the database, WAL, SHM and journal and nothing else', () => {
  const db = path.join(dir, 'gone.sqlite');
  for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}-journal`, path.join(dir, 'gone.sqlite.bak')])
    writeFileSync(f, 'x');
  const removed = deleteWorkspaceFiles(db);
  assert.equal(removed.length, 4);
  for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}-journal`]) assert.equal(existsSync(f), false, f);
  assert.equal(existsSync(path.join(dir, 'gone.sqlite.bak')), true);
});

test('recent workspaces: most recent first, no duplicates, capped, persisted, vanished files hidden', () => {
  const file = path.join(dir, 'recent.json');
  const recent = new RecentWorkspaces(file, 'linux');
  const a = path.join(dir, 'a.sqlite');
  const b = path.join(dir, 'b.sqlite');
  writeFileSync(a, '');
  writeFileSync(b, '');
  recent.add(a);
  recent.add(b);
  recent.add(a);
  assert.deepEqual(recent.list(), [a, b]);
  assert.deepEqual(new RecentWorkspaces(file, 'linux').list(), [a, b], 'survives a restart');
  rmSync(b);
  assert.deepEqual(recent.list(), [a]);
  for (let i = 0; i < MAX_RECENT + 5; i++) recent.add(path.join(dir, `n${i}.sqlite`));
  assert.ok(recent.has(path.join(dir, `n${MAX_RECENT + 4}.sqlite`)));
  assert.ok(!recent.has(a), 'the oldest entries fall off');
  recent.remove(path.join(dir, `n${MAX_RECENT + 4}.sqlite`));
  assert.ok(!recent.has(path.join(dir, `n${MAX_RECENT + 4}.sqlite`)));
  writeFileSync(file, '{"not": "a list"}');
  assert.deepEqual(new RecentWorkspaces(file, 'linux').list(), [], 'a corrupt file means an empty list');
});

const progress = (over: Partial<ImportProgress>): ImportProgress => ({
  jobId: 'j',
  file: 'a.csv',
  fileIndex: 0,
  fileCount: 1,
  phase: 'rows',
  rows: 0,
  bytesRead: 0,
  totalBytes: 100,
  rowsPerSecond: 0,
  ...over,
});

test('taskbar progress spans all files of an import and stays within 0..1', () => {
  assert.equal(importFraction(progress({ bytesRead: 50 })), 0.5);
  assert.equal(importFraction(progress({ fileIndex: 1, fileCount: 2, bytesRead: 50 })), 0.75);
  assert.equal(importFraction(progress({ phase: 'done', fileIndex: 1, fileCount: 2 })), 1);
  assert.equal(importFraction(progress({ bytesRead: 500 })), 1);
  assert.equal(importFraction(progress({ totalBytes: 0 })), 0);
  assert.equal(exportFraction({ jobId: 'j', rowsWritten: 25, totalRows: 100 }), 0.25);
  assert.equal(exportFraction({ jobId: 'j', rowsWritten: 5, totalRows: 0 }), 0);
});

test('a notification only for long jobs ending while the window is unfocused, counts only', () => {
  const done: Envelope<ImportResult> = {
    ok: true,
    value: {
      cancelled: false,
      files: [
        { file: 'a.csv', importId: 1, imported: 1200, duplicates: 0, rejected: 3, errors: [], durationMs: 1 },
        {
          file: 'b.csv',
          importId: null,
          imported: 0,
          duplicates: 0,
          rejected: 0,
          errors: [],
          error: 'bad',
          durationMs: 1,
        },
      ],
    },
  };
  const long = NOTIFY_AFTER_MS + 1;
  assert.equal(importNotice(done, long, true), null, 'focused: the user sees it already');
  assert.equal(importNotice(done, 100, false), null, 'short: no notification');
  assert.deepEqual(importNotice(done, long, false), {
    title: 'Import finished with errors',
    body: '1,200 records imported, 3 rows rejected, 1 file failed',
  });
  const failed: Envelope<ExportResult> = {
    ok: false,
    error: { code: 'EXPORT_FAILED', message: 'Disk full' },
  };
  assert.deepEqual(exportNotice(failed, long, false), { title: 'Export failed', body: 'Disk full' });
  const ok: Envelope<ExportResult> = {
    ok: true,
    value: { path: '/x.csv', rowsWritten: 1, expectedRows: 1, bytes: 10, durationMs: 1 },
  };
  assert.deepEqual(exportNotice(ok, long, false), { title: 'Export finished', body: '1 row written' });
});
