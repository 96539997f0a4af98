/**
 * The aggregate reader's map of addresses to vocabulary ids (address-memory.ts) finds exactly the
 * records a LIKE over message_to finds: odd spellings (case, non-ASCII, LIKE wildcards, empty and
 * missing addresses), after an append (map behind the vocabulary: scanned; caught up: from memory),
 * with records above the vocabulary's coverage and after a removal (new generation). Each step also
 * checks which path answered, so a map that silently fell back to the scan would fail here.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { COLUMNS } from '../../common/columns';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import {
  addressMatchIds,
  enableAddressMemory,
  stepAddressMemory,
} from '../../main/engine/query/address-memory';
import { compileWhere } from '../../main/engine/query/filter';
import { findMatchIds } from '../../main/engine/query/match-ids';
import { searchIndexCoverage, updateSearchIndex } from '../../main/engine/query/search-index';
import { insertRecord } from './query-fixture';
import { importFiles, workspace } from './import-fixture';

/** The last one is the last record the vocabulary covers: an off-by-one at the coverage shows. */
const ODD = [
  '',
  null,
  'JANE.Doe@Example.DE',
  'jäne@x.de',
  'ÄJANE@x.de',
  'ja%ne@x.de',
  'ja_ne@x.de',
  'x_jane_y@x.de',
  'BULK.last@x.de',
];
const TERMS = ['jane', 'JANE', 'mueller', 'weber1', 'ja%ne', 'ja_ne', 'äjane', 'ÄJANE', 'x.de', 'e@x', 'ne@'];
/**
 * Held by more distinct addresses than the resolver hands out as values (20 000), so these are the
 * terms a LIKE over records_to, or the map, answers; the others go by their values.
 */
const COMMON = ['bulk', 'ULK', 'k1', 'lk2.j'];
const BULK = 21_000;
const TO = COLUMNS.findIndex((c) => c.id === 'message_to');

/** Generated rows, the first file's addresses replaced by BULK distinct ones. */
function* rowsOf(opts: { rows: number; seed: number; startMs: number }, bulk: boolean): Generator<string[]> {
  let i = 0;
  for (const row of generateRows(opts)) {
    if (bulk) row[TO] = `bulk${i}.${['jane', 'JANE', 'x'][i % 3]}@x${i % 7}.de`;
    i++;
    yield row;
  }
}

function brute(db: Database, q: string): number[] {
  const where = compileWhere({ q });
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY id`)
    .pluck()
    .all(...where.params) as number[];
}

function loadAll(reader: Database): void {
  while (stepAddressMemory(reader));
}

function check(reader: Database, writer: Database, label: string, fromMemory: boolean): void {
  const coverage = reader.transaction(() => searchIndexCoverage(reader))();
  for (const q of [...TERMS, ...COMMON]) {
    const what = `${label}: ${q}`;
    const mem = reader.transaction(() => addressMatchIds(reader, q, coverage))();
    if (COMMON.includes(q) && q.length >= 3)
      assert.equal(mem !== null, fromMemory, `${what}: answered ${fromMemory ? 'from memory' : 'by a scan'}`);
    const ids = reader.transaction(() => findMatchIds(reader, { q }, 1e9))();
    assert.notEqual(ids, null, what);
    assert.deepEqual([...(ids?.list ?? [])], brute(writer, q), what);
  }
}

test('free words through the in-memory address map find exactly what LIKE finds', async () => {
  const w = workspace();
  const files = [
    { rows: BULK, seed: 11, startMs: Date.UTC(2026, 9, 1) },
    { rows: 1500, seed: 12, startMs: Date.UTC(2026, 9, 10) },
    { rows: 800, seed: 13, startMs: Date.UTC(2026, 9, 20) },
  ].map((opts, i) => {
    const file = path.join(w.dir, `${i}.csv`);
    writeFileSync(file, toCsv(rowsOf(opts, i === 0)));
    return file;
  });
  await importFiles(w.db, files.slice(0, 2));
  for (const to of ODD) insertRecord(w.db, { message_to: to, status: 'ERROR' });
  updateSearchIndex(w.db);
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    enableAddressMemory(reader);
    check(reader, w.db, 'not loaded', false);
    loadAll(reader);
    check(reader, w.db, 'two imports and odd addresses', true);

    await importFiles(w.db, files.slice(2));
    check(reader, w.db, 'after an append, map behind', false);
    loadAll(reader);
    check(reader, w.db, 'after an append, map caught up', true);

    // Above the vocabulary's coverage: LIKE over that id range, the rest from memory.
    for (const to of ['late.bulk@x.de', 'LATE.MUELLER@y.de']) insertRecord(w.db, { message_to: to });
    check(reader, w.db, 'records above the coverage', true);

    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    updateSearchIndex(w.db);
    check(reader, w.db, 'after a removal, old map', false);
    loadAll(reader);
    check(reader, w.db, 'after a removal, map reloaded', true);
  } finally {
    reader.close();
    w.cleanup();
  }
});
