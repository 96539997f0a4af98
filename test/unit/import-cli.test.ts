import assert from 'node:assert/strict';
import { test } from 'node:test';
import { count, fixture, workspace } from './import-fixture';
import { openDatabase } from '../../main/engine/db/open';
import { runCli } from './cli-fixture';

test('import --json prints the documented shape and exits 0 when every file imported (rejected rows included)', async () => {
  const w = workspace();
  w.db.close();
  try {
    const r = await runCli([
      'import',
      '--db',
      w.dbPath,
      fixture('bad-rows.csv'),
      fixture('aliases-reordered.csv'),
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as { files: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(parsed), ['files', 'cancelled']);
    const [bad, alias] = parsed.files;
    assert.deepEqual(Object.keys(bad).slice(0, 5), ['file', 'imported', 'duplicates', 'rejected', 'errors']);
    assert.equal(bad.file, fixture('bad-rows.csv'));
    assert.deepEqual([bad.imported, bad.duplicates, bad.rejected], [5, 0, 5]);
    assert.equal(bad.records, 10, 'the sum of the three is reported');
    assert.deepEqual((bad.errors as { line: number; reason: string }[])[0], {
      line: 3,
      reason: 'too few fields: 20 instead of 24',
    });
    assert.equal('error' in bad, false);
    assert.equal(alias.imported, 2);
    const db = openDatabase(w.dbPath, { readonly: true });
    assert.equal(count(db, 'records'), 7);
    db.close();
  } finally {
    w.cleanup();
  }
});

test('import exits 1 and names the error when a file fails whole; the other files still import', async () => {
  const w = workspace();
  w.db.close();
  try {
    const r = await runCli([
      'import',
      '--db',
      w.dbPath,
      '--json',
      fixture('unrelated.csv'),
      fixture('multiline-smtp.csv'),
    ]);
    assert.equal(r.code, 1);
    const parsed = JSON.parse(r.out) as { files: { file: string; imported: number; error?: string }[] };
    assert.match(parsed.files[0]?.error ?? '', /not a Retarus delivery export/);
    assert.equal(parsed.files[1]?.imported, 3);
    const human = await runCli(['import', '--db', w.dbPath, fixture('empty.csv')]);
    assert.equal(human.code, 1);
    assert.match(human.err, /empty/);
  } finally {
    w.cleanup();
  }
});

test('import prints a human summary by default and honours --delimiter and --encoding', async () => {
  const w = workspace();
  w.db.close();
  try {
    const r = await runCli([
      'import',
      '--db',
      w.dbPath,
      '--delimiter',
      'semicolon',
      '--encoding',
      'utf8',
      fixture('semicolon-bom-crlf.csv'),
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 imported, 0 already present, 0 rejected \(utf-8, semicolon/);
    const forced = await runCli([
      'import',
      '--db',
      w.dbPath,
      '--json',
      '--delimiter',
      '|',
      fixture('aliases-reordered.csv'),
    ]);
    assert.equal(forced.code, 1, 'with the wrong delimiter the header makes no sense');
  } finally {
    w.cleanup();
  }
});

test('usage errors exit 2', async () => {
  const w = workspace();
  w.db.close();
  try {
    assert.equal((await runCli(['import', fixture('empty.csv')])).code, 2, 'no --db');
    assert.equal((await runCli(['import', '--db', w.dbPath])).code, 2, 'no file');
    assert.equal(
      (await runCli(['import', '--db', w.dbPath, '--delimiter', 'x', fixture('empty.csv')])).code,
      2,
    );
    assert.equal(
      (await runCli(['import', '--db', w.dbPath, '--encoding', 'utf-16', fixture('empty.csv')])).code,
      2,
    );
    assert.equal((await runCli(['import', '--db', w.dbPath, '--frobnicate', fixture('empty.csv')])).code, 2);
  } finally {
    w.cleanup();
  }
});
