import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { COLUMNS } from '../../common/columns';
import { fixture, importFiles, stoppedImports, workspace } from './import-fixture';

test('a named pipe or a device is "not a regular file", not "empty", and nothing is read from it', async (t) => {
  const w = workspace();
  try {
    const fifo = path.join(w.dir, 'export.csv');
    execFileSync('mkfifo', [fifo]);
    // Reading a pipe nobody writes to would block forever: the test finishing shows it was not opened.
    const [pipe] = (await importFiles(w.db, [fifo])).files;
    assert.match(
      pipe?.error ?? '',
      /export\.csv is not a regular file \(a named pipe\); save the export as a file/,
    );
    if (!existsSync('/dev/urandom')) t.skip('no /dev/urandom on this system');
    else {
      const [dev] = (await importFiles(w.db, ['/dev/urandom'])).files;
      assert.match(dev?.error ?? '', /\/dev\/urandom is not a regular file \(a device\)/);
      assert.doesNotMatch(dev?.error ?? '', /empty/);
    }
    assert.deepEqual(
      stoppedImports(w.db).map((s) => s.status),
      existsSync('/dev/urandom') ? ['failed', 'failed'] : ['failed'],
    );
  } finally {
    w.cleanup();
  }
});

test('a file that is not an export names the columns it found and the ones expected', async () => {
  const w = workspace();
  try {
    const [f] = (await importFiles(w.db, [fixture('unrelated.csv')])).files;
    const error = f?.error ?? '';
    assert.match(error, /not a Retarus delivery export: none of its columns \("Name", "Email", "Phone"\)/);
    assert.match(
      error,
      /Expected a header line naming the export's columns: Creation Time \(required\), Message To \(required\), Status \(required\), Message From, /,
    );
    for (const c of COLUMNS) assert.ok(error.includes(c.header), `names ${c.header}`);
  } finally {
    w.cleanup();
  }
});

test('failed and cancelled imports are in the history with their reason; a finished one has none', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [fixture('bad-rows.csv'), fixture('unrelated.csv')]);
    const ac = new AbortController();
    ac.abort();
    // Cancelled before it started: nothing to record (nothing began), and nothing is.
    await importFiles(w.db, [fixture('aliases-reordered.csv')], { signal: ac.signal });
    const { listImports } = await import('../../main/engine/import/history');
    const list = listImports(w.db);
    assert.deepEqual(
      list.map((h) => [h.fileName, h.status, h.imported, h.error === null ? null : h.error.slice(0, 39)]),
      [
        ['unrelated.csv', 'failed', 0, 'This is not a Retarus delivery export: '],
        ['bad-rows.csv', 'done', 5, null],
      ],
    );
    assert.ok((list[0]?.finishedAt ?? 0) >= (list[0]?.startedAt ?? Infinity));
  } finally {
    w.cleanup();
  }
});
