import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeExport } from '../../bench/generate';
import type { ImportPhase } from '../../common/contract';
import { hashFile } from '../../main/engine/import/identical';
import { validators } from '../../main/ipc/validate';
import { count, fixture, importFiles, workspace } from './import-fixture';
import { runCli } from './cli-fixture';

test('an identical file is recognised without reading its rows and reported with the earlier counts', async () => {
  const w = workspace();
  try {
    const csv = path.join(w.dir, 'a.csv');
    await writeExport(csv, { rows: 2000 });
    const first = (await importFiles(w.db, [fixture('bad-rows.csv'), csv])).files;
    assert.equal(first[1]?.imported, 2000);
    const imports = count(w.db, 'imports');
    const phases: ImportPhase[] = [];
    const again = await importFiles(w.db, [csv, fixture('bad-rows.csv')], {
      onProgress: (p) => phases.push(p.phase),
    });
    const [a, bad] = again.files;
    assert.deepEqual(a?.alreadyImported?.importId, first[1]?.importId);
    assert.equal(typeof a?.alreadyImported?.finishedAt, 'number');
    assert.deepEqual(
      [a?.imported, a?.duplicates, a?.rejected, a?.importId],
      [2000, 0, 0, first[1]?.importId],
    );
    // The earlier import's rejected rows are listed again, as its result listed them.
    assert.deepEqual(bad?.errors, first[0]?.errors);
    assert.deepEqual([bad?.imported, bad?.rejected], [5, 5]);
    assert.ok(!phases.includes('rows'), `no file was parsed: ${phases.join(',')}`);
    assert.equal(count(w.db, 'imports'), imports, 'nothing recorded');
    assert.equal(count(w.db, 'records'), 2005);
  } finally {
    w.cleanup();
  }
});

test('force, a changed byte, or another encoding asked for: the file is read again', async () => {
  const w = workspace();
  try {
    const csv = path.join(w.dir, 'a.csv');
    await writeExport(csv, { rows: 300 });
    await importFiles(w.db, [csv]);
    const forced = (await importFiles(w.db, [csv], { force: true })).files[0];
    assert.equal(forced?.alreadyImported, undefined);
    assert.deepEqual([forced?.imported, forced?.duplicates], [0, 300]);
    const reread = (await importFiles(w.db, [csv], { encoding: 'windows-1252' })).files[0];
    assert.equal(reread?.alreadyImported, undefined);
    assert.equal(reread?.duplicates, 300);
    // Same size, one byte different: not the same file.
    const text = readFileSync(csv, 'utf8');
    const changed = path.join(w.dir, 'b.csv');
    writeFileSync(changed, text.replace(/u-1-1,/, 'u-1-X,'));
    assert.equal(readFileSync(changed).length, readFileSync(csv).length);
    const b = (await importFiles(w.db, [changed])).files[0];
    assert.equal(b?.alreadyImported, undefined);
    assert.deepEqual([b?.imported, b?.duplicates], [1, 299]);
  } finally {
    w.cleanup();
  }
});

test('the hash used for the check is the one the import records (SHA-256 of the bytes)', async () => {
  const w = workspace();
  try {
    const csv = path.join(w.dir, 'a.csv');
    await writeExport(csv, { rows: 50 });
    const id = (await importFiles(w.db, [csv])).files[0]?.importId;
    const recorded = w.db.prepare('SELECT content_hash FROM imports WHERE id = ?').pluck().get(id);
    const expected = createHash('sha256').update(readFileSync(csv)).digest('hex');
    assert.equal(recorded, expected);
    assert.equal(await hashFile(csv, new AbortController().signal), expected);
  } finally {
    w.cleanup();
  }
});

test('CLI: an identical file is reported as already imported; --force reads it again', async () => {
  const w = workspace();
  w.db.close();
  try {
    const csv = path.join(w.dir, 'a.csv');
    await writeExport(csv, { rows: 100 });
    assert.equal((await runCli(['import', '--db', w.dbPath, csv])).code, 0);
    const human = await runCli(['import', '--db', w.dbPath, csv]);
    assert.equal(human.code, 0);
    assert.match(human.out, /already imported \(import #1, .* UTC\): identical size and content/);
    assert.match(human.out, /that import: 100 imported, 0 already present, 0 rejected\. Use --force/);
    const json = await runCli(['import', '--db', w.dbPath, csv, '--json']);
    const f = (JSON.parse(json.out) as { files: Record<string, unknown>[] }).files[0];
    assert.deepEqual(Object.keys(f ?? {}).slice(0, 5), [
      'file',
      'imported',
      'duplicates',
      'rejected',
      'errors',
    ]);
    assert.equal((f?.alreadyImported as { importId: number }).importId, 1);
    const forced = await runCli(['import', '--db', w.dbPath, csv, '--force', '--json']);
    const g = (JSON.parse(forced.out) as { files: Record<string, unknown>[] }).files[0];
    assert.equal(g?.alreadyImported, undefined);
    assert.deepEqual([g?.imported, g?.duplicates], [0, 100]);
  } finally {
    w.cleanup();
  }
});

test('the app asks for a re-check through the contract: import:start takes force (validated in main)', () => {
  assert.deepEqual(validators['import:start']({ jobId: 'j1', paths: ['/tmp/a.csv'], force: true }), {
    jobId: 'j1',
    paths: ['/tmp/a.csv'],
    force: true,
  });
  assert.throws(() => validators['import:start']({ jobId: 'j1', paths: ['/tmp/a.csv'], force: 1 }), /force/);
});
