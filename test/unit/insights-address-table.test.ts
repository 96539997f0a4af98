/**
 * The typo list's address tables (insights_bounced, insights_typo_pair) hold
 * exactly what a brute-force pass over the records gives, after a first fill, after appends that
 * bring the bounced typo before or after its delivered address, and after an import is removed; and
 * the likely-typos list read from them equals the list read from the records.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { rng } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { addressCoverage, addressTablesComplete } from '../../main/engine/insights/address-table';
import { localSlip, splitAddress } from '../../main/engine/insights/edits';
import { updateInsightsRollup } from '../../main/engine/insights/rollup';
import { listTypos } from '../../main/engine/insights/typos';
import { removeImport } from '../../main/engine/import/remove';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { insertCase, type CaseRow } from './insights-fixture';
import { tempWorkspace } from './query-fixture';

const FIRST = ['anna', 'lukas', 'maria', 'sophie', 'jonas', 'hannah', 'tobias', 'stefan', 'petra', 'oliver'];
const LAST = ['mueller', 'schmidt', 'schneider', 'fischer', 'wagner', 'becker', 'hoffmann', 'richter'];
const DOMAINS = ['gmail.com', 'web.de', 'kunde.de', 'firma.ch'];
const T0 = Date.UTC(2026, 9, 1);

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** A slip in the last name part: a letter dropped or doubled (never in the first name). */
function slip(r: R, address: string): string {
  const dot = address.indexOf('.');
  const at = address.lastIndexOf('@');
  let end = at;
  while (/[0-9]/.test(address[end - 1] ?? '')) end--;
  const i = dot + 2 + Math.floor(r() * (end - dot - 3));
  return r() < 0.5 ? address.slice(0, i) + address.slice(i + 1) : address.slice(0, i) + address.slice(i);
}

function row(to: string, ok: boolean, t: number, invalid = false): CaseRow {
  return {
    t,
    to,
    domain: to.slice(to.lastIndexOf('@') + 1).toLowerCase(),
    status: ok ? 'OK' : 'ERROR',
    substatus: ok ? 'DELIVERED' : invalid ? 'DROPPED' : 'BOUNCED',
    details: ok ? 'OK' : invalid ? 'INVALID_ADDRESS' : 'HARD_BOUNCE',
    smtp: ok ? '250 2.0.0 OK' : invalid ? '' : '550 5.1.1 user unknown',
  };
}

/**
 * Four parts of one case. Typos bounce in the same part as their intended address, in an earlier
 * one (the pair appears when the address is first delivered to) and in a later one (when the typo
 * first bounces); some addresses come in upper case, some bounce and are delivered to later.
 */
function parts(seed: number): CaseRow[][] {
  const r = rng(seed);
  const people = new Set<string>();
  while (people.size < 600) {
    const n = r() < 0.5 ? '' : String(1 + Math.floor(r() * 30));
    people.add(`${pick(r, FIRST)}.${pick(r, LAST)}${n}@${pick(r, DOMAINS)}`);
  }
  const list = [...people];
  const out: CaseRow[][] = [[], [], [], []];
  let t = T0;
  const add = (p: number, to: string, ok: boolean, invalid = false): void => {
    out[p]?.push(row(r() < 0.1 ? to.toUpperCase() : to, ok, (t += 60_000), invalid));
  };
  list.forEach((a, i) => {
    const p = i % 4;
    for (let k = 1 + Math.floor(r() * 2); k > 0; k--) add(p, a, true);
    if (i % 3 === 0) {
      const typo = slip(r, a);
      if (!people.has(typo)) add(Math.floor(r() * 4), typo, false, r() < 0.3);
    }
    if (i % 11 === 0) add(3 - p, a, false); // a delivered address that also bounced once
  });
  // Odd recipients: no '@', two of them, an empty local part, a domain one slip from a delivering one.
  for (const a of ['no-at-sign', 'first@second@kunde.de', '@kunde.de', 'anna.schmidt@kunde.dee'])
    add(2, a, false);
  // Other people that only bounce, some of them delivered to in a later part.
  for (let i = 0; i < 60; i++) {
    const a = `${pick(r, FIRST)}.${pick(r, LAST)}${i}@${pick(r, DOMAINS)}`;
    const p = Math.floor(r() * 3);
    add(p, a, false);
    if (i % 6 === 0) add(p + 1, a, true);
  }
  return out;
}

const sorted = (rows: unknown[][]): string[] => rows.map((x) => JSON.stringify(x)).sort();

/** The tables against a brute-force pass over the records (every bounced × delivered pair tested). */
function assertTablesExact(db: Database, label: string): void {
  assert.ok(addressTablesComplete(db), `${label}: tables complete`);
  const counts = (where: string): unknown[][] =>
    db
      .prepare(
        `SELECT lower(message_to), count(*) FROM records WHERE message_to IS NOT NULL AND ${where} GROUP BY 1`,
      )
      .raw()
      .all() as unknown[][];
  const delivered = counts("substatus = 'DELIVERED'");
  const bounced = counts("status_details IN ('HARD_BOUNCE', 'INVALID_ADDRESS')");
  const stored = db.prepare('SELECT address, n FROM insights_bounced').raw().all() as unknown[][];
  assert.deepEqual(sorted(stored), sorted(bounced), `${label}: bounced`);
  for (const [domain, address] of db.prepare('SELECT domain, address FROM insights_bounced').raw().all() as [
    string,
    string,
  ][])
    assert.equal(domain, address.slice(address.lastIndexOf('@') + 1), `${label}: domain of ${address}`);
  const pairs: unknown[][] = [];
  for (const [b] of bounced)
    for (const [d] of delivered) {
      const x = splitAddress(String(b));
      const y = splitAddress(String(d));
      if (x && y && x.domain === y.domain && localSlip(x.local, y.local)) pairs.push([b, d]);
    }
  assert.ok(pairs.length > 0, `${label}: the case has typo pairs (${pairs.length})`);
  const storedPairs = db
    .prepare('SELECT address, candidate FROM insights_typo_pair')
    .raw()
    .all() as unknown[][];
  assert.deepEqual(sorted(storedPairs), sorted(pairs), `${label}: pairs`);
}

/** The list read with the tables as they are, then with them ignored (records only). */
function assertListExact(db: Database, label: string): void {
  const filters: FilterModel[] = [
    {},
    { q: 'domain:gmail.com' },
    { q: 'details:invalid_address' },
    { q: 'anna' },
    { timeFrom: T0 + 3 * 3_600_000 },
  ];
  const viaTables = filters.map((f) => listTypos(db, f, { limit: 100_000 }));
  const local = viaTables[0]?.hints.filter((h) => h.kind === 'local').length ?? 0;
  assert.ok(local > 10, `${label}: local-part hints (${local})`);
  assert.ok(
    viaTables[0]?.hints.some((h) => h.address === 'anna.schmidt@kunde.dee' && h.kind === 'domain'),
    `${label}: the domain hint`,
  );
  db.exec('BEGIN');
  try {
    db.exec("DELETE FROM meta WHERE key = 'insights_addr_upto'");
    assert.equal(addressTablesComplete(db), false);
    filters.forEach((f, i) =>
      assert.deepEqual(viaTables[i], listTypos(db, f, { limit: 100_000 }), `${label}: ${JSON.stringify(f)}`),
    );
  } finally {
    db.exec('ROLLBACK');
  }
}

test('address tables equal brute force after each append, and the typo list is the same from them', () => {
  const ws = tempWorkspace();
  try {
    const p = parts(5);
    p.forEach((rows, i) => {
      insertCase(ws.db, rows);
      updateSearchIndex(ws.db);
      assertTablesExact(ws.db, i === 0 ? 'after the first import' : `after append ${i}`);
    });
    assertListExact(ws.db, 'after the appends');

    // Filled only up to the middle of the last part: not complete, so the list reads the records.
    const total = ws.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    ws.db.exec("DELETE FROM meta WHERE key IN ('insights_upto', 'insights_addr_upto')");
    updateInsightsRollup(ws.db, undefined, total - 40);
    assert.equal(addressCoverage(ws.db), total - 40);
    assert.equal(addressTablesComplete(ws.db), false);
    const partial = listTypos(ws.db, {}, { limit: 100_000 });
    updateInsightsRollup(ws.db);
    assertTablesExact(ws.db, 'completed');
    assert.deepEqual(partial, listTypos(ws.db, {}, { limit: 100_000 }), 'same list either way');
  } finally {
    ws.close();
  }
});

test('address tables are rebuilt exactly after an import is removed', async () => {
  const ws = tempWorkspace();
  try {
    for (const rows of parts(9)) {
      insertCase(ws.db, rows);
      updateSearchIndex(ws.db);
    }
    assertTablesExact(ws.db, 'before the removal');
    const before = listTypos(ws.db, {}, { limit: 100_000 });
    const second = ws.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    await removeImport(ws.db, second, new AbortController().signal);
    assertTablesExact(ws.db, 'after the removal');
    assertListExact(ws.db, 'after the removal');
    assert.notDeepEqual(listTypos(ws.db, {}, { limit: 100_000 }), before, 'the removal changed the list');
  } finally {
    ws.close();
  }
});
