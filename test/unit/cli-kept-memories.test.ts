/**
 * The CLI's count, facets and query read the kept memories their search needs (cli/kept-memories.ts)
 * and answer exactly as brute force: from current copies, from copies an append left behind (the
 * delta loaded on top), and from none (a removal made them another generation's; record_facts'
 * coverage below their bound), where the commands take the SQL paths as before.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { generateRows, toCsv } from '../../bench/generate';
import type { Facets, FilterModel, RecordRow } from '../../common/contract';
import { memoriesFor, restoreForSearch, type MemoryUse } from '../../main/cli/kept-memories';
import { rowByHeader } from '../../main/cli/commands/query';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import type { MemoryName } from '../../main/engine/query/memory-cache';
import { iterateRows } from '../../main/engine/query/stream';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { runCli } from './cli-fixture';
import {
  blankSendersAndSizes,
  importFiles,
  workspace,
  writeCsvFiles,
  type Workspace,
} from './import-fixture';
import { bruteCount, bruteFacets, facetsOf, leaveFactsPending } from './summary-brute';

const QUERIES: readonly string[] = [
  'from:news',
  '-from:news',
  'size>30000',
  'size>30000 status:ok',
  'from:news size<=20000',
  'jane',
  '-jane',
  'to:jane',
  '-from:news -jane',
  'status:error after:2026-10-05',
];

const USES: readonly MemoryUse[] = ['count', 'facets', 'query'];

/** The memories a search's terms need: what the commands read, and nothing a summary or an index answers. */
test('each command reads only the memories its search needs', () => {
  const of = (q: string, use: MemoryUse): MemoryName[] => memoriesFor({ q }, use);
  assert.deepEqual(of('from:news', 'count'), [], 'the kept sender codes count senders alone');
  assert.deepEqual(of('-from:news from:mail', 'query'), []);
  assert.deepEqual(of('from:news', 'facets'), ['facts', 'values']);
  assert.deepEqual(of('from:news size>30000', 'count'), ['facts', 'values']);
  assert.deepEqual(of('size>30000', 'count'), [], 'the records_size index counts size bounds alone');
  assert.deepEqual(of('size>30000 size<90000', 'query'), [], 'the count and the time index give the page');
  assert.deepEqual(of('size>30000', 'facets'), ['facts', 'values']);
  assert.deepEqual(of('size>30000 status:ok', 'count'), ['facts', 'values']);
  assert.deepEqual(of('jane', 'count'), ['address']);
  assert.deepEqual(of('-jane status:ok', 'query'), ['address']);
  assert.deepEqual(of('jane', 'facets'), ['facts', 'address']);
  // A prefix the vocabulary narrows down, not the map; its id set's combos from the kept combo ids.
  assert.deepEqual(of('to:jane status:ok', 'facets'), ['facts'], 'a prefix: the combo ids alone');
  assert.deepEqual(of('to:jane status:ok', 'count'), [], 'a prefix counted: nothing');
  assert.deepEqual(of('smtp:5.1.1', 'facets'), ['facts'], 'an SMTP code: the combo ids alone');
  assert.deepEqual(of('-jane from:news', 'facets'), ['facts', 'values', 'address']);
  for (const use of USES) {
    for (const q of ['status:error', 'domain:web.de', 'after:2026-10-05', 'region:DE1 -status:ok', ''])
      assert.deepEqual(of(q, use), [], `${use} ${q}`);
    assert.deepEqual(memoriesFor({}, use), []);
    assert.deepEqual(of('size>', use), [], 'a syntax error: the command reports it');
  }
});

/** Each command's answer on the CLI against brute force (rows: the plain SQL stream of the old path). */
async function checkCli(w: Workspace, q: string, label: string): Promise<void> {
  const filter: FilterModel = { q };
  const what = `${label} ${q}`;
  const count = await runCli(['count', '--db', w.dbPath, '--q', q, '--json']);
  assert.equal(count.code, 0, count.err);
  assert.deepEqual(JSON.parse(count.out), { count: bruteCount(w.db, filter) }, `count ${what}`);
  const facets = await runCli(['facets', '--db', w.dbPath, '--q', q, '--top', '1000', '--json']);
  assert.equal(facets.code, 0, facets.err);
  assert.deepEqual(facetsOf(JSON.parse(facets.out) as Facets), bruteFacets(w.db, filter), `facets ${what}`);
  const query = await runCli(['query', '--db', w.dbPath, '--q', q, '--limit', '40', '--json']);
  assert.equal(query.code, 0, query.err);
  const rows = [...iterateRows(w.db, filter, [{ column: 'creation_time', dir: 'desc' }], 40)];
  assert.deepEqual(
    JSON.parse(query.out),
    { total: bruteCount(w.db, filter), rows: rows.map((r: RecordRow) => rowByHeader(r)) },
    `query ${what}`,
  );
}

/** What a fresh read-only connection (as the CLI opens) restores for each use of `q`. */
function restored(w: Workspace, q: string, use: MemoryUse): MemoryName[] {
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    return restoreForSearch(db, { q }, use);
  } finally {
    db.close();
  }
}

/** One word alone (`jane`, `-jane`): count and query read the kept counts per address instead of the map. */
const ONE_WORD = new Set(['jane', '-jane']);

async function checkAll(
  w: Workspace,
  label: string,
  expect: (needed: MemoryName[]) => MemoryName[],
  countsFit = true,
) {
  for (const q of QUERIES) {
    for (const use of USES) {
      const needed = memoriesFor({ q }, use);
      const counted = countsFit && use !== 'facets' && ONE_WORD.has(q);
      assert.deepEqual(
        restored(w, q, use),
        counted ? [] : expect(needed),
        `${label}: restored for ${use} ${q}`,
      );
    }
    await checkCli(w, q, label);
  }
}

test('the CLI answers from the kept memories exactly as brute force, and without them as before', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 2500, seed: 81, startMs: Date.UTC(2026, 9, 1) },
    { rows: 1500, seed: 82, startMs: Date.UTC(2026, 9, 10) },
    { rows: 700, seed: 83, startMs: Date.UTC(2026, 9, 20) },
  ]);
  try {
    await importFiles(w.db, files.slice(0, 2), { keepMemories: false });
    // NULL and empty senders and sizes, then the copies kept as the import's last phase keeps them.
    blankSendersAndSizes(w.db);
    updateSearchIndex(w.db);
    keepMemories(w.db);
    await checkAll(w, 'current copies', (needed) => needed);

    // An append without its memories phase: the copies hold the records before it, the rest is loaded.
    await importFiles(w.db, files.slice(2), { keepMemories: false });
    updateSearchIndex(w.db);
    await checkAll(w, 'copies behind an append', (needed) => needed, false);

    // A removed import: the copies are another generation's, none is taken.
    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    updateSearchIndex(w.db);
    await checkAll(w, 'after a removal', () => []);

    // Kept again, then record_facts' coverage below their bound: only the address map fits.
    keepMemories(w.db);
    await checkAll(w, 'kept again', (needed) => needed);
    leaveFactsPending(w.db, 900);
    await checkAll(w, 'facts pending', (needed) => needed.filter((n) => n === 'address'));
  } finally {
    w.cleanup();
  }
});

test('any combination of terms counts exactly on the CLI', async () => {
  const w = workspace();
  const file = path.join(w.dir, 'a.csv');
  writeFileSync(file, toCsv(generateRows({ rows: 3000, seed: 91 })));
  try {
    await importFiles(w.db, [file]);
    const terms = ['from:news', 'from:billing', 'size>25000', 'size<=12000', 'jane', 'to:max', 'status:ok'];
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(terms, { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        async (picked, negate) => {
          const q = picked.map((t, i) => (negate[i] === true ? `-${t}` : t)).join(' ');
          const r = await runCli(['count', '--db', w.dbPath, '--q', q, '--json']);
          assert.equal(r.code, 0, r.err);
          assert.deepEqual(JSON.parse(r.out), { count: bruteCount(w.db, { q }) }, q);
        },
      ),
      { numRuns: 40 },
    );
  } finally {
    w.cleanup();
  }
});
