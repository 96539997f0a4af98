/**
 * A positive free word ANDed with facet terms (word-facets-ids.ts): the ids of the search equal brute
 * force (every record tested by SQL with LIKE), and no statement tests the facet terms on records, on
 * the CLI's connection (mirror without times) and on a connection with the whole mirror; with
 * record_facts behind the records (the records above its coverage tested by SQL), NULL/'' regions,
 * words common and rare, upper case and non-ASCII.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { generateRows, toCsv } from '../../bench/generate';
import { COLUMNS } from '../../common/columns';
import type { FilterModel } from '../../common/contract';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { enableFactsMemory } from '../../main/engine/query/facts-memory';
import { compileWhere } from '../../main/engine/query/filter';
import { findMatchIds } from '../../main/engine/query/match-ids';
import { restoreMemories } from '../../main/engine/query/memory-cache';
import { importFiles, workspace, type Workspace } from './import-fixture';
import { bruteIds, leaveFactsPending } from './summary-brute';
import { preparedSql } from './statement-spy';

const WORDS = ['jane', 'JANE', 'weber1', 'mailbox', 'zzzq', 'max.weber', 'web'] as const;
const FACETS = ['status:error', '-status:ok', 'region:DE1', '-region:DE1', 'substatus:bounced', 'smtp:5xx'];

const TO = COLUMNS.findIndex((c) => c.id === 'message_to');
const REGION = COLUMNS.findIndex((c) => c.id === 'processing_region');

/** Upper-case and non-ASCII addresses, empty regions. */
function edited(row: readonly string[], i: number): string[] {
  const out = [...row];
  if (i % 29 === 0) out[TO] = `JÄNE.${i}@web.de`;
  else if (i % 7 === 0) out[TO] = out[TO].toUpperCase();
  if (i % 3 === 0) out[REGION] = '';
  return out;
}

function check(w: Workspace, q: string, how: 'cli' | 'reader', pending: boolean): void {
  const filter: FilterModel = { q };
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    if (how === 'cli') restoreForSearch(db, filter, 'facets');
    else {
      enableFactsMemory(db);
      restoreMemories(db, 'facts');
    }
    let ids: Uint32Array | Float64Array | undefined;
    const sql = preparedSql(db, () => {
      ids = findMatchIds(db, filter)?.list;
    });
    assert.ok(ids !== undefined, `${how} ${q}: an id set`);
    assert.deepEqual([...ids], bruteIds(w.db, filter), `${how} ${q}`);
    // The facet terms are tested per combo, not on records (but on the records above the coverage).
    const rest = q.split(' ').slice(1).join(' ');
    const restSql = compileWhere({ q: rest }).sql;
    const onRecords = sql.filter((s) => s.includes('FROM records') && s.includes(restSql));
    if (!pending) assert.deepEqual(onRecords, [], `${how} ${q}: facet terms tested on records`);
  } finally {
    db.close();
  }
}

function checkAll(w: Workspace, pending: boolean): void {
  fc.assert(
    fc.property(
      fc.constantFrom(...WORDS),
      fc.subarray(FACETS, { minLength: 1, maxLength: 2 }),
      fc.constantFrom<'cli' | 'reader'>('cli', 'reader'),
      (word, facets, how) => check(w, [word, ...facets].join(' '), how, pending),
    ),
    { numRuns: 40, seed: 1705 },
  );
}

test('a word with facet terms: its set tested per combo equals brute force', async () => {
  const w = workspace();
  const file = path.join(w.dir, 'a.csv');
  writeFileSync(
    file,
    toCsv([...generateRows({ rows: 3000, seed: 175, startMs: Date.UTC(2026, 9, 1) })].map(edited)),
  );
  try {
    await importFiles(w.db, [file], { keepMemories: false });
    keepMemories(w.db);
    checkAll(w, false);
    // record_facts behind the records, the mirror kept up to it: the records above are tested by SQL.
    leaveFactsPending(w.db, 2000);
    keepMemories(w.db);
    checkAll(w, true);
  } finally {
    w.cleanup();
  }
});
