/**
 * A free word's id set kept across searches on the aggregate reader (word-ids.ts): searches that
 * share a word (`jane`, `-jane`, `jane` under another zone, `-jane -anna`) read one kept set, and
 * count, facets, histogram buckets and the ids themselves equal brute force with the kept sets in
 * between: after an append, after an import is removed and after it is imported again (a set kept
 * from before any of these would miss or keep records), and for random sequences of searches.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import { enableAddressMemory, stepAddressMemory } from '../../main/engine/query/address-memory';
import { getFacets } from '../../main/engine/query/facets';
import { enableFactsMemory, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { compileWhere } from '../../main/engine/query/filter';
import { getHistogram } from '../../main/engine/query/histogram';
import { countRows, matchIds } from '../../main/engine/query/paging';
import { factsCoverage, idSetCombos } from '../../main/engine/query/record-facts';
import { isEveryExcept } from '../../main/engine/query/words-except';
import { importFiles, workspace, writeCsvFiles } from './import-fixture';
import {
  bruteCount,
  bruteFacets,
  bruteHistogram,
  bruteIds,
  facetsOf,
  leaveFactsPending,
} from './summary-brute';

const WORDS = ['jane', 'mueller', 'anna', 'web.de', 'nobody-has-this'];
const ZONES = [undefined, 'Etc/UTC', 'Europe/Berlin'] as const;

/** The reader's memories loaded up to what the writer has committed, as its idle steps load them. */
function loadAll(reader: Database): void {
  while (stepFactsMemory(reader, () => factsCoverage(reader)) || stepAddressMemory(reader));
}

function check(reader: Database, writer: Database, filter: FilterModel, label: string): void {
  const what = `${label} ${JSON.stringify(filter)}`;
  const ids = matchIds(reader, filter);
  assert.ok(ids !== null, `${what}: one id set`);
  assert.deepEqual([...ids.list], bruteIds(writer, filter), `${what}: the ids`);
  const where = compileWhere(filter);
  const span = writer
    .prepare(
      `SELECT min(creation_time_ms), max(creation_time_ms) FROM records NOT INDEXED WHERE ${where.sql}`,
    )
    .raw()
    .get(...where.params) as [number | null, number | null];
  const combos = idSetCombos(reader, ids);
  assert.deepEqual([combos?.lo ?? null, combos?.hi ?? null], span, `${what}: first and last time`);
  assert.equal(countRows(reader, filter), bruteCount(writer, filter), `count ${what}`);
  assert.deepEqual(facetsOf(getFacets(reader, filter, 1000)), bruteFacets(writer, filter), `facets ${what}`);
  assert.deepEqual(getHistogram(reader, filter, 60), bruteHistogram(writer, filter, 60), `histogram ${what}`);
}

/** `jane` and `-jane` with zones, each a filter the reader has not cached, after `jane` was kept. */
function checkShared(reader: Database, writer: Database, label: string, pending = 0): void {
  const first = matchIds(reader, { q: 'jane' });
  assert.ok(first !== null);
  // The same kept set under another filter key: found once, not once per filter.
  assert.equal(matchIds(reader, { q: 'jane', timeZone: 'Europe/Berlin' }), first, `${label}: jane kept`);
  for (const filter of [
    { q: ' jane' },
    { q: '-jane' },
    { q: '-jane', timeZone: 'Asia/Kolkata' },
    { q: '-jane -anna' },
    { q: 'anna' },
    { q: 'jane  ', timeZone: 'America/New_York' },
  ])
    check(reader, writer, filter, label);
  // The first and the last record in time excluded by their Correlation IDs: the span is then the
  // pass over the ids left, not every record's own first and last.
  const edge = (dir: string): string =>
    writer
      .prepare(
        `SELECT correlation_id FROM records WHERE creation_time_ms IS NOT NULL ORDER BY creation_time_ms ${dir}, id LIMIT 1`,
      )
      .pluck()
      .get() as string;
  check(reader, writer, { q: `-${edge('ASC')} -${edge('DESC')}` }, label);
  // Negated words alone: every record less the kept sets, their combos and hours subtracted (with
  // records above record_facts' coverage the combos take the ordinary pass, checked the same).
  for (const q of ['-jane', ' -jane -anna']) {
    const ids = matchIds(reader, { q });
    assert.ok(ids !== null && isEveryExcept(ids), `${label} ${q}: every record less the words' sets`);
    assert.equal(idSetCombos(reader, ids)?.rows?.kind === 'mirror', pending === 0, `${label} ${q}: rows`);
  }
}

test('kept word sets equal brute force across appends, a removal and a re-import', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 2500, seed: 71, startMs: Date.UTC(2026, 9, 1) },
    { rows: 1500, seed: 72, startMs: Date.UTC(2026, 9, 9) },
    { rows: 900, seed: 73, startMs: Date.UTC(2026, 9, 18) },
  ]);
  await importFiles(w.db, files.slice(0, 2));
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    enableFactsMemory(reader);
    enableAddressMemory(reader);
    loadAll(reader);
    checkShared(reader, w.db, 'two imports');

    // New records with `jane` among them: a set kept from before would lack them.
    await importFiles(w.db, files.slice(2));
    loadAll(reader);
    checkShared(reader, w.db, 'after an append');

    // The middle import removed: a kept set would still hold its records.
    const middle = w.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    await removeImport(w.db, middle, new AbortController().signal);
    loadAll(reader);
    checkShared(reader, w.db, 'after a removal');

    await importFiles(w.db, files.slice(1, 2), { force: true });
    loadAll(reader);
    checkShared(reader, w.db, 'after the import again');

    // Records above record_facts' coverage: read from the table, the combos by the ordinary pass.
    const top = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    const upto = leaveFactsPending(w.db, 700);
    loadAll(reader);
    checkShared(reader, w.db, 'records pending', top - upto);

    // Random sequences of searches sharing words, the kept sets never cleared in between.
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            word: fc.constantFrom(...WORDS),
            negate: fc.boolean(),
            zone: fc.constantFrom(...ZONES),
            pad: fc.nat(3),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (searches) => {
          for (const s of searches) {
            const q = `${' '.repeat(s.pad)}${s.negate ? '-' : ''}${s.word}`;
            const filter: FilterModel = s.zone === undefined ? { q } : { q, timeZone: s.zone };
            const ids = matchIds(reader, filter);
            assert.ok(ids !== null);
            assert.deepEqual([...ids.list], bruteIds(w.db, filter), JSON.stringify(filter));
            assert.equal(countRows(reader, filter), bruteCount(w.db, filter), JSON.stringify(filter));
          }
        },
      ),
      { numRuns: 25 },
    );
  } finally {
    reader.close();
    w.cleanup();
  }
});
