import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { reportFileName, saveReport } from '../../main/shell/report';

const dir = mkdtempSync(path.join(os.tmpdir(), 'di-shell-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const report = { html: '<!doctype html><p>case</p>', matching: 12, listed: 12 };

test('report:save writes the HTML where the user chose and tells what it wrote', async () => {
  const target = path.join(dir, 'case.html');
  const written: string[] = [];
  const res = await saveReport(
    {
      pickPath: (name, format) => {
        assert.equal(format, 'html');
        assert.match(name, /^case-report-\d{4}-\d{2}-\d{2}\.html$/);
        return Promise.resolve(target);
      },
      build: () => Promise.resolve(report),
      written: (p) => written.push(p),
    },
    { filter: {}, format: 'html' },
  );
  assert.deepEqual(res, { path: target, bytes: Buffer.byteLength(report.html), matching: 12 });
  assert.equal(readFileSync(target, 'utf8'), report.html);
  assert.deepEqual(written, [target]);
});

test('PDF goes through the printer; cancelling the dialog writes nothing', async () => {
  const target = path.join(dir, 'case.pdf');
  const res = await saveReport(
    {
      pickPath: () => Promise.resolve(target),
      build: () => Promise.resolve(report),
      toPdf: (html) => Promise.resolve(Buffer.from(`%PDF-${html.length}`)),
    },
    { filter: {}, format: 'pdf' },
  );
  assert.equal(res?.path, target);
  assert.equal(readFileSync(target, 'utf8'), `%PDF-${report.html.length}`);
  let built = false;
  const none = await saveReport(
    {
      pickPath: () => Promise.resolve(null),
      build: () => {
        built = true;
        return Promise.resolve(report);
      },
    },
    { filter: {}, format: 'html' },
  );
  assert.equal(none, null);
  assert.equal(built, false, 'no report is built when the user cancels');
});

test('PDF without a printer is refused with a clear error and leaves no file', async () => {
  const before = readdirSync(dir).length;
  await assert.rejects(
    saveReport(
      { pickPath: () => Promise.resolve(path.join(dir, 'x.pdf')), build: () => Promise.resolve(report) },
      { filter: {}, format: 'pdf' },
    ),
    /PDF reports need the desktop app/,
  );
  assert.equal(readdirSync(dir).length, before);
  assert.equal(existsSync(path.join(dir, 'x.pdf')), false);
  assert.equal(reportFileName('pdf', new Date(Date.UTC(2026, 10, 30))), 'case-report-2026-11-30.pdf');
});
