/**
 * records_to, records_to_domain and records_correlation as partial indexes (grid-partial.ts): every
 * reader of them gives what a scan of the table gives with a delta above the bound, after the
 * search-index phase moved the bound, and with a whole index (a workspace built before the bound).
 * The values searched for are taken from the delta, so a reader that skipped it would fail.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { fillRecords } from '../../bench/query-data';
import type { ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { addressesAt } from '../../main/engine/insights/address-scan';
import { getDrilldown } from '../../main/engine/query/drilldown';
import { streamDrilldown } from '../../main/engine/query/drilldown-stream';
import { compileWhere } from '../../main/engine/query/filter';
import { GRID_PARTIAL, gridBounds, TO_INDEX, type GridBounds } from '../../main/engine/query/grid-partial';
import { lookupAddresses } from '../../main/engine/query/lookup';
import { findMatchIds } from '../../main/engine/query/match-ids';
// The handlers' entry points: each request in one read transaction, where a bound with nothing above
// it is read without the delta (partial-index.ts splitAtBound).
import { countRows, queryPage } from '../../main/engine/query/index';
import { clearQueryCache } from '../../main/engine/query/paging';
import { partialIndexSql, partialIndexUpto, WHOLE } from '../../main/engine/query/partial-index';
import { maxRecordId, updateSearchIndex } from '../../main/engine/query/search-index';
import { tempWorkspace, type Workspace } from './query-fixture';
import { bruteCount } from './summary-brute';

const at = (n: number): GridBounds => ({ to: n, domain: n, correlation: n, smtp: n, usage: n });

let ws: Workspace;
before(() => {
  ws = tempWorkspace();
  fillRecords(ws.db, { rows: 4000, seed: 5, spanDays: 10 });
  // As a fresh import leaves them: partial up to the last id.
  for (const def of GRID_PARTIAL)
    ws.db.exec(`DROP INDEX IF EXISTS ${def.name}; ${partialIndexSql(def, 4000)}`);
  updateSearchIndex(ws.db);
});
after(() => ws.close());

/** A value of `expr` held by a record above `id` (so in the delta), lower-cased or as stored. */
function valueAbove(db: Database, expr: string, id: number, nth = 0): string {
  const v = db
    .prepare(
      `SELECT ${expr} FROM records NOT INDEXED WHERE id > ? AND ${expr} IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?`,
    )
    .pluck()
    .get(id, nth) as string | undefined;
  assert.ok(v !== undefined, `a ${expr} above ${id}`);
  return v;
}

function filtersFor(db: Database, above: number): FilterModel[] {
  const to = valueAbove(db, 'message_to', above);
  const domain = valueAbove(db, 'message_to_domain', above, 3);
  const corr = valueAbove(db, 'correlation_id', above, 5);
  const local = to.slice(0, to.indexOf('@'));
  const usage = valueAbove(db, 'usage_id', above, 2);
  const smtp = valueAbove(db, 'smtp_status_code', above, 1);
  return [
    {},
    { q: `to:${local}` },
    { q: `domain:${domain.toUpperCase()}` },
    { q: corr },
    { q: local.slice(0, 4) },
    { conditions: [{ type: 'text', column: 'message_to', op: 'equals', value: to.toUpperCase() }] },
    { conditions: [{ type: 'text', column: 'message_to', op: 'startsWith', value: to.slice(0, 2) }] },
    { conditions: [{ type: 'text', column: 'message_to_domain', op: 'equals', value: domain }] },
    { q: `-to:${local}` },
    { q: `usage:${usage}` },
    { q: usage },
    { q: smtp.slice(0, 12) },
    { q: 'smtp:5.1.1' },
  ];
}

const SORTS: readonly [ColumnId, string][] = [
  ['message_to', 'lower(message_to)'],
  ['message_to_domain', 'lower(message_to_domain)'],
  ['correlation_id', 'correlation_id'],
  ['smtp_status_code', 'smtp_status_code'],
  ['usage_id', 'usage_id'],
];

/** Pages sorted by each indexed key (deep ones past several anchors), counts and id sets, against scans. */
function checkReaders(db: Database, label: string, above: number): void {
  clearQueryCache(db);
  for (const filter of filtersFor(db, above)) {
    const where = compileWhere(filter);
    const f = `${label} ${JSON.stringify(filter)}`;
    const total = bruteCount(db, filter);
    assert.equal(countRows(db, filter), total, `${f}: count`);
    const ids = findMatchIds(db, filter);
    if (ids !== null) {
      const brute = db
        .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY id`)
        .pluck()
        .all(...where.params);
      assert.deepEqual(
        [...ids.list].sort((a, b) => a - b),
        brute,
        `${f}: id set`,
      );
    }
    for (const [column, expr] of SORTS)
      for (const dir of ['asc', 'desc'] as SortDir[]) {
        const d = dir.toUpperCase();
        const brute = db
          .prepare(
            `SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${expr} ${d}, id ${d} LIMIT 50 OFFSET ?`,
          )
          .pluck();
        // Reading the deepest page first makes the pager find its anchors from the start.
        for (const start of [Math.max(0, total - 30), 0, 1030, 2999].filter((s) => s < Math.max(total, 1))) {
          const page = queryPage(db, {
            filter,
            sort: [{ column, dir }],
            startRow: start,
            endRow: start + 50,
          });
          assert.deepEqual(
            page.rows.map((r) => r.id),
            brute.all(...where.params, start),
            `${f}: sorted by ${column} ${dir} from ${start}`,
          );
        }
      }
  }
}

/** Lookup, drilldown (both forms) and the insights' address scan against scans. */
function checkPointReads(db: Database, label: string, above: number): void {
  const addresses = [0, 7, 19].map((n) => valueAbove(db, 'message_to', above, n));
  const lines = lookupAddresses(db, [
    ...addresses.map((a) => ` <${a.toUpperCase()}> `),
    'nobody@nowhere.test',
  ]);
  for (const [i, line] of lines.entries()) {
    const a = i < addresses.length ? addresses[i] : 'nobody@nowhere.test';
    const rows = db
      .prepare(
        'SELECT creation_time_ms, correlation_id FROM records NOT INDEXED WHERE lower(message_to) = lower(?) ORDER BY creation_time_ms DESC, id DESC',
      )
      .all(a) as { creation_time_ms: number; correlation_id: string }[];
    assert.equal(line.found, rows.length, `${label}: lookup count of ${a}`);
    assert.equal(line.latestTimeMs, rows[0]?.creation_time_ms ?? null, `${label}: latest of ${a}`);
    assert.equal(line.correlationId, rows[0]?.correlation_id ?? null, `${label}: latest of ${a}`);
  }
  // A Correlation ID with records on both sides of the bound when there is one.
  const both = db
    .prepare(
      'SELECT correlation_id FROM records NOT INDEXED WHERE correlation_id IS NOT NULL GROUP BY 1 HAVING min(id) <= ? AND max(id) > ? LIMIT 1',
    )
    .pluck()
    .get(above, above) as string | undefined;
  for (const corr of [valueAbove(db, 'correlation_id', above, 2), ...(both === undefined ? [] : [both])]) {
    const brute = db
      .prepare(
        'SELECT id FROM records NOT INDEXED WHERE correlation_id = ? ORDER BY creation_time_ms, version, id',
      )
      .pluck()
      .all(corr);
    const dd = getDrilldown(db, corr);
    assert.deepEqual(
      dd.entries.map((e) => e.record.id),
      brute,
      `${label}: drilldown of ${corr}`,
    );
    const stream = streamDrilldown(db, corr);
    assert.deepEqual(
      [...stream.entries].map((e) => e.record.id),
      brute,
      `${label}: streamed drilldown`,
    );
    assert.deepEqual(stream.priorHardBounces(), dd.priorHardBounces, `${label}: prior bounces agree`);
  }
  const domains = [valueAbove(db, 'lower(message_to_domain)', above, 1)];
  const brute = new Set(
    db
      .prepare(
        'SELECT DISTINCT lower(message_to) FROM records NOT INDEXED WHERE lower(message_to_domain) IN (SELECT value FROM json_each(?))',
      )
      .pluck()
      .all(JSON.stringify(domains)) as string[],
  );
  for (const share of [0.01, 0.3, 0.9]) {
    const got = new Set(
      [...addressesAt(db, domains, share)].filter(
        (a): a is string => a !== null && domains.includes(a.slice(a.lastIndexOf('@') + 1)),
      ),
    );
    assert.deepEqual([...got].sort(), [...brute].sort(), `${label}: addresses at share ${share}`);
  }
}

function checkAll(label: string): void {
  const above = Math.min(partialIndexUpto(ws.db, TO_INDEX.name) ?? 0, maxRecordId(ws.db) - 30);
  checkReaders(ws.db, label, above);
  checkPointReads(ws.db, label, above);
}

test('with no delta the readers use the partial indexes and agree with the table', () => {
  assert.deepEqual(gridBounds(ws.db), at(4000));
  // The bound is what makes SQLite take a partial index: the lookup's count seeks records_to.
  const plan = ws.db
    .prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM records WHERE id <= 4000 AND lower(message_to) = 'x'")
    .all() as { detail: string }[];
  assert.ok(
    plan.some((p) => p.detail.includes('records_to')),
    JSON.stringify(plan),
  );
  checkAll('no delta');
});

test('an append below the share leaves the bounds; readers read the delta by rowid', () => {
  fillRecords(ws.db, { rows: 35, seed: 21, spanDays: 12 });
  checkAll('delta before the update');
  updateSearchIndex(ws.db);
  assert.deepEqual(gridBounds(ws.db), at(4000));
  checkAll('small delta');
});

test('once the delta passes the share the search-index phase rebuilds the indexes over every record', () => {
  fillRecords(ws.db, { rows: 600, seed: 23, spanDays: 14 });
  checkAll('large delta before the update');
  updateSearchIndex(ws.db);
  const maxId = maxRecordId(ws.db);
  assert.deepEqual(gridBounds(ws.db), at(maxId));
  checkAll('rebuilt');
});

test('whole indexes (a workspace built before the bound) still answer and are left as they are', () => {
  for (const def of GRID_PARTIAL)
    ws.db.exec(`DROP INDEX ${def.name}; CREATE INDEX ${def.name} ON records(${def.columns})`);
  fillRecords(ws.db, { rows: 100, seed: 29, spanDays: 15 });
  assert.deepEqual(gridBounds(ws.db), at(WHOLE));
  checkAll('whole');
  updateSearchIndex(ws.db);
  assert.deepEqual(gridBounds(ws.db), at(WHOLE));
});
