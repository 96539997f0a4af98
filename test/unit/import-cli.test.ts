import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { main } from '../../main/cli/index';
import { count, fixture, workspace } from './import-fixture';
import { openDatabase } from '../../main/engine/db/open';

function sink(): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await main(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

test('import --json prints the documented shape and exits 0 when every file imported (rejected rows included)', async () => {
  const w = workspace();
  w.db.close();
  try {
    const r = await cli([
      'import',
      '--db',
      w.dbPath,
      fixture('bad-rows.csv'),
      fixture('aliases-reordered.csv'),
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { files: Record<string, unknown>[] };
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
    const r = await cli([
      'import',
      '--db',
      w.dbPath,
      '--json',
      fixture('unrelated.csv'),
      fixture('multiline-smtp.csv'),
    ]);
    assert.equal(r.code, 1);
    const parsed = JSON.parse(r.stdout) as { files: { file: string; imported: number; error?: string }[] };
    assert.match(parsed.files[0]?.error ?? '', /not a Retarus delivery export/);
    assert.equal(parsed.files[1]?.imported, 3);
    const human = await cli(['import', '--db', w.dbPath, fixture('empty.csv')]);
    assert.equal(human.code, 1);
    assert.match(human.stderr, /empty/);
  } finally {
    w.cleanup();
  }
});

test('import prints a human summary by default and honours --delimiter and --encoding', async () => {
  const w = workspace();
  w.db.close();
  try {
    const r = await cli([
      'import',
      '--db',
      w.dbPath,
      '--delimiter',
      'semicolon',
      '--encoding',
      'utf8',
      fixture('semicolon-bom-crlf.csv'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 imported, 0 already present, 0 rejected \(utf-8, semicolon/);
    const forced = await cli([
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
    assert.equal((await cli(['import', fixture('empty.csv')])).code, 2, 'no --db');
    assert.equal((await cli(['import', '--db', w.dbPath])).code, 2, 'no file');
    assert.equal((await cli(['import', '--db', w.dbPath, '--delimiter', 'x', fixture('empty.csv')])).code, 2);
    assert.equal(
      (await cli(['import', '--db', w.dbPath, '--encoding', 'utf-16', fixture('empty.csv')])).code,
      2,
    );
    assert.equal((await cli(['import', '--db', w.dbPath, '--frobnicate', fixture('empty.csv')])).code, 2);
  } finally {
    w.cleanup();
  }
});
