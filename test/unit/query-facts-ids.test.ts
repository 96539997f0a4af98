/**
 * A facet/time filter's id set from the aggregate reader's facts mirror (facts-ids.ts): exactly the
 * records a brute-force WHERE over the table finds, for enum values, negations, domains, SMTP codes,
 * after:/before: (negated too, records without a time) and combinations, after two imports and after
 * a removal; none for what the mirror cannot answer (free words, addresses, a mirror not loaded).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import { factsIds } from '../../main/engine/query/facts-ids';
import { enableFactsMemory, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { importFiles, workspace } from './import-fixture';
import { bruteIds } from './summary-brute';

const FILTERS: FilterModel[] = [
  { q: 'status:error' },
  { q: '-status:error' },
  { q: 'status:ok substatus:delivered' },
  { q: 'details:soft_bounce' },
  { q: 'region:DE1' },
  { q: '-interface:smtp' },
  { q: 'domain:web.de' },
  { q: '-domain:web.de' },
  { q: 'smtp:550' },
  { q: 'after:2026-10-20' },
  { q: 'before:2026-10-20' },
  { q: '-after:2026-10-20' },
  { q: 'after:2026-10-15 before:2026-10-25' },
  { q: 'after:2026-10-15T10:30' },
  { q: 'status:error region:DE1 -interface:smtp' },
  { q: 'domain:web.de status:ok after:2026-10-12 -before:2026-10-14' },
  { q: 'after:2026-10-20', timeZone: 'Asia/Kolkata' },
];

function loadMirror(db: Database): void {
  enableFactsMemory(db);
  while (stepFactsMemory(db, () => factsCoverage(db)));
}

function checkAll(db: Database, label: string): void {
  for (const filter of FILTERS) {
    const got = db.transaction(() => factsIds(db, filter))();
    assert.ok(got !== null, `${label}: ${JSON.stringify(filter)} answered from the mirror`);
    const want = bruteIds(db, filter);
    if (label === 'two imports') assert.ok(want.length > 0, `${label}: ${filter.q} matches some records`);
    assert.deepEqual(Array.from(got), want, `${label}: ${JSON.stringify(filter)}`);
  }
}

test('a facet/time filter`s ids from the facts mirror equal a brute-force WHERE', async () => {
  const w = workspace();
  const files = [1, 2].map((i) => {
    const file = path.join(w.dir, `${i}.csv`);
    writeFileSync(
      file,
      toCsv(generateRows({ rows: 3000, seed: 70 + i, startMs: Date.UTC(2026, 9, 1 + 10 * i), spanDays: 12 })),
    );
    return file;
  });
  await importFiles(w.db, [files[0]]);
  await importFiles(w.db, [files[1]]);
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    assert.equal(db.transaction(() => factsIds(db, { q: 'status:error' }))(), null, 'no mirror loaded: none');
    loadMirror(db);
    assert.equal(factsIds(db, { q: 'jane' }), null, 'a free word is not the mirror`s');
    assert.equal(factsIds(db, { q: 'status:error to:max' }), null, 'an address is not the mirror`s');
    assert.equal(factsIds(db, { q: 'status:error', timeFrom: 0 }), null, 'a time range of the model: SQL');
    checkAll(db, 'two imports');

    const first = w.db.prepare('SELECT id FROM imports ORDER BY id LIMIT 1').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    assert.equal(
      db.transaction(() => factsIds(db, { q: 'status:error' }))(),
      null,
      'a mirror from before a removal is not used',
    );
    loadMirror(db);
    checkAll(db, 'after a removal');
  } finally {
    db.close();
    w.cleanup();
  }
});
