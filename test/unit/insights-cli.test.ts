import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../main/engine/db/open';
import { getDomains } from '../../main/engine/insights/domains';
import { getIncidents } from '../../main/engine/insights/incidents';
import { listTypos } from '../../main/engine/insights/typos';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { buildReport } from '../../main/engine/report/report';
import { generateCase, insertCase } from './insights-fixture';
import { insertRecord } from './query-fixture';
import { type CliRun, runCli } from './cli-fixture';

const START = Date.UTC(2026, 9, 3, 0);
export const OUTPUT = path.resolve(process.cwd(), 'test-output/report');
let dir: string;
let file: string;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'di-icli-'));
  file = path.join(dir, 'case.sqlite');
  const db = openDatabase(file);
  insertCase(
    db,
    generateCase({
      seed: 9,
      startMs: START,
      hours: 72,
      domains: [
        { domain: 'gmail.com', perHour: 30, bounceRate: 0.04 },
        { domain: 'web.de', perHour: 20, bounceRate: 0.06 },
        { domain: 'kunde.de', perHour: 10, bounceRate: 0.1 },
      ],
      incidents: [
        { domain: 'web.de', fromHour: 30, hours: 3, bounceRate: 0.75, reply: '421 4.7.0 Try again later' },
      ],
    }),
  );
  insertRecord(db, {
    message_to: 'jane.doe@gmial.com',
    message_to_domain: 'gmial.com',
    creation_time: '2026-10-04 10:00:00.000',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'HARD_BOUNCE',
    smtp_status_code: '550 5.1.2 Host unknown',
    correlation_id: 'c-typo',
    version: 1,
  });
  updateSearchIndex(db);
  db.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]): Promise<CliRun> => runCli(argv);

function engine<T>(run: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(file, { readonly: true });
  try {
    return run(db);
  } finally {
    db.close();
  }
}

test('domains, incidents and typos --json print exactly what the engine answers', async () => {
  const d = await cli('domains', '--db', file, '--json');
  assert.equal(d.code, 0, d.err);
  assert.deepEqual(
    JSON.parse(d.out),
    JSON.parse(JSON.stringify(engine((db) => getDomains(db, {}, { limit: 50 })))),
  );
  const i = await cli('incidents', '--db', file, '--json');
  assert.equal(i.code, 0, i.err);
  const incidents = JSON.parse(i.out) as ReturnType<typeof getIncidents>;
  assert.deepEqual(incidents, JSON.parse(JSON.stringify(engine((db) => getIncidents(db, {})))));
  assert.equal(incidents.incidents.length, 1);
  assert.equal(incidents.incidents[0]?.label, 'WEB.DE');
  const t = await cli('typos', '--db', file, '--q', 'status:ERROR', '--json');
  assert.equal(t.code, 0, t.err);
  const typos = JSON.parse(t.out) as ReturnType<typeof listTypos>;
  assert.deepEqual(
    typos,
    JSON.parse(JSON.stringify(engine((db) => listTypos(db, { q: 'status:ERROR' }, { limit: 100 })))),
  );
  assert.ok(
    typos.hints.some((h) => h.address === 'jane.doe@gmial.com' && h.suggestion === 'jane.doe@gmail.com'),
  );
});

test('the table outputs name the answer in words', async () => {
  const d = await cli('domains', '--db', file);
  assert.match(d.out, /Google \(Gmail\)/);
  assert.match(d.out, /kunde\.de/);
  const i = await cli('incidents', '--db', file);
  assert.match(i.out, /WEB\.DE/);
  assert.match(i.out, /median/);
  const t = await cli('typos', '--db', file);
  assert.match(t.out, /jane\.doe@gmial\.com\s+1\s+jane\.doe@gmail\.com/);
});

test('bad arguments are usage errors (exit 2) with the reason', async () => {
  assert.equal((await cli('domains', '--db', file, '--limit', 'x')).code, 2);
  assert.equal((await cli('typos', '--db', file, '--bogus')).code, 2);
  const r = await cli('report', '--db', file, '--out', path.join(dir, 'case.docx'));
  assert.equal(r.code, 2);
  assert.match(r.err, /\.html or \.pdf/);
  assert.equal((await cli('incidents', '--db', file, '--q', 'after:banana')).code, 2);
  assert.equal((await cli('domains', '--db', path.join(dir, 'missing.sqlite'))).code, 1);
});

test('report --out case.html: one self-contained page with every section and the full count', async () => {
  const out = path.join(dir, 'case.html');
  const r = await cli('report', '--db', file, '--q', 'status:ERROR', '--rows', '40', '--out', out, '--json');
  assert.equal(r.code, 0, r.err);
  const res = JSON.parse(r.out) as { matching: number; listed: number };
  assert.equal(res.listed, 40);
  assert.ok(res.matching > 40);
  const html = readFileSync(out, 'utf8');
  // Nothing to fetch: no URLs in attributes, no script, a CSP that forbids every request.
  assert.doesNotMatch(html, /(src|href)\s*=/i);
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /default-src 'none'/);
  for (const s of [
    'Delivery Inspector',
    'Workspace <strong>case</strong>',
    'the search is “status:ERROR”',
    '<svg',
    'Top SMTP replies',
    'Recipient domains',
    'Bounce incidents',
    'WEB.DE',
    'Likely address typos',
    'jane.doe@gmail.com',
    `The newest 40 of ${res.matching.toLocaleString('en')} matching records`,
  ])
    assert.ok(html.includes(s), `report lacks ${s}`);
  // Only matching records are listed: every listed row is an ERROR.
  const listed = html.slice(html.indexOf('Matching records'));
  assert.doesNotMatch(listed, /<td>OK<\/td>/);
});

test('a report lists no recipient outside the filter', () => {
  const { html } = engine((db) => buildReport(db, { q: 'to:jane.doe@gmial.com' }, { workspaceName: 'w' }));
  const addresses = new Set(html.match(/[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+/gi) ?? []);
  assert.deepEqual([...addresses].sort(), ['jane.doe@gmail.com', 'jane.doe@gmial.com']);
});

test('report --out case.pdf prints with Chromium; pdftoppm renders its first page', async () => {
  const out = path.join(dir, 'case.pdf');
  const r = await cli('report', '--db', file, '--out', out);
  assert.equal(r.code, 0, r.err);
  const pdf = readFileSync(out);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  mkdirSync(OUTPUT, { recursive: true });
  const prefix = path.join(OUTPUT, 'case-report');
  // The first page as an image, to be looked at (test-output/report/case-report.png).
  execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', '-f', '1', out, prefix]);
  assert.ok(existsSync(`${prefix}.png`));
  const info = execFileSync('pdfinfo', [out]).toString();
  assert.match(info, /Pages:\s+[1-9]/);
  assert.match(info, /A4/);
});
