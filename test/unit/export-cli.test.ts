import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateRows } from '../../bench/generate';
import type { ExportResult, SmtpExplanation } from '../../common/contract';
import { fileDb, tempDir } from './export-fixture';
import { runCli } from './cli-fixture';

function workspace(rows = 300): { dir: string; dbFile: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  fileDb(dir, generateRows({ rows, seed: 4 })).close();
  return { dir, dbFile: path.join(dir, 'ws.sqlite'), cleanup };
}

test('cli export --json prints the ExportResult and writes the filtered rows', async () => {
  const { dir, dbFile, cleanup } = workspace();
  try {
    const out = path.join(dir, 'errors.csv');
    const r = await runCli([
      'export',
      '--db',
      dbFile,
      '--out',
      out,
      '--q',
      'status:ERROR',
      '--sort',
      'creation_time:desc',
      '--columns',
      'Message To,status,SMTP Status Code',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out) as ExportResult;
    assert.equal(result.path, out);
    assert.equal(result.rowsWritten, result.expectedRows);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    assert.equal(lines[0], 'Message To,Status,SMTP Status Code');
    assert.ok(result.rowsWritten > 10);
    assert.equal(result.bytes, readFileSync(out).length);
  } finally {
    cleanup();
  }
});

test('cli export --delimiter ; --bom --no-formula-guard', async () => {
  const { dir, dbFile, cleanup } = workspace(20);
  try {
    const out = path.join(dir, 'x.csv');
    const r = await runCli([
      'export',
      '--db',
      dbFile,
      '--out',
      out,
      '--delimiter',
      ';',
      '--bom',
      '--no-formula-guard',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Exported 20 rows \(20 match the filter\)/);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.startsWith('\uFEFFCreation Time;Message From;'));
  } finally {
    cleanup();
  }
});

test('cli export exit codes: 2 for usage errors, 1 for failures, and no file either way', async () => {
  const { dir, dbFile, cleanup } = workspace(5);
  try {
    const out = path.join(dir, 'bad.csv');
    const usage = [
      ['export', '--db', dbFile],
      ['export', '--out', out],
      ['export', '--db', dbFile, '--out', out, '--columns', 'nope'],
      ['export', '--db', dbFile, '--out', out, '--sort', 'status:sideways'],
      ['export', '--db', dbFile, '--out', out, '--delimiter', '|'],
      ['export', '--db', dbFile, '--out', out, '--frobnicate', 'x'],
      ['export', '--db', dbFile, '--out', out, '--q', 'nosuchfield:1'],
    ];
    for (const argv of usage) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')} -> ${r.err}`);
      assert.ok(r.err.length > 0);
    }
    const failures = [
      ['export', '--db', path.join(dir, 'missing.sqlite'), '--out', out],
      ['export', '--db', dbFile, '--out', path.join(dir, 'no-such-folder', 'x.csv')],
    ];
    for (const argv of failures) {
      const r = await runCli(argv);
      assert.equal(r.code, 1, `${argv.join(' ')} -> ${r.err}`);
    }
    assert.equal(existsSync(out), false);
    assert.equal(existsSync(path.join(dir, 'missing.sqlite')), false);
  } finally {
    cleanup();
  }
});

test('cli explain: human text and --json', async () => {
  const human = await runCli(['explain', '552 5.2.2 <jane@kunde.de>: Mailbox full']);
  assert.equal(human.code, 0);
  assert.match(human.out, /Code:\s+552 5\.2\.2/);
  assert.match(human.out, /Verdict:\s+soft/);
  assert.match(human.out, /Next step: /);
  const json = await runCli([
    'explain',
    '550 5.7.26 Unauthenticated email is not accepted due to DMARC policy',
    '--json',
  ]);
  assert.equal(json.code, 0);
  const e = JSON.parse(json.out) as SmtpExplanation;
  assert.equal(e.enhancedCode, '5.7.26');
  assert.equal(e.verdict, 'policy');
  const none = await runCli(['explain']);
  assert.equal(none.code, 2);
});
