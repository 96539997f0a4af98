/**
 * The CLI's `query --sort message_from` under free words (sender-order.ts): rows equal a brute-force
 * ORDER BY over the table, both directions, any limit, NULL and '' senders, senders out of ASCII
 * (BINARY order: upper case, umlauts, a character past U+FFFF), with the kept copies current (the path
 * answers), behind an append (it does not: the statement answers), kept again, after a removal (not)
 * and kept again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { COLUMNS } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { senderSortedRows } from '../../main/engine/query/sender-order';
import { runCli } from './cli-fixture';
import {
  blankSendersAndSizes,
  importFiles,
  workspace,
  writeCsvFiles,
  type Workspace,
} from './import-fixture';
import { bruteSortedIds } from './summary-brute';
import { oddWordRow } from './word-fixture';

const FROM = COLUMNS.findIndex((c) => c.id === 'message_from');
const ODD_SENDERS = ['Zed@x.de', 'ärger@x.de', 'Ärger@x.de', '\u{1F600}@x.de', '\uFFFDz@x.de', 'alpha@x.de'];
const SEARCHES = ['jane', 'JANE', 'web', '-jane', '-jane -web', 'jane status:error', 'max.weber', 'zzzq'];

function senderRow(row: readonly string[], i: number): string[] {
  const out = oddWordRow(row, i);
  if (i % 7 === 0) out[FROM] = ODD_SENDERS[(i / 7) % ODD_SENDERS.length];
  return out;
}

/** Every search, both directions, a few limits: the path's rows (or, with `answers` false, none) equal brute force. */
function check(w: Workspace, label: string, answers: boolean): void {
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    for (const q of SEARCHES)
      for (const dir of ['asc', 'desc'] as SortDir[]) {
        const filter: FilterModel = { q };
        const sort = [{ column: 'message_from' as const, dir }];
        const brute = bruteSortedIds(w.db, filter, 'message_from', dir);
        db.exec('BEGIN');
        try {
          restoreForSearch(db, filter, 'query', sort);
          for (const limit of [1, 7, 100, 5000]) {
            const rows = senderSortedRows(db, filter, sort, limit);
            assert.equal(rows !== null, answers, `${label}: ${q} ${dir} answered`);
            if (rows !== null)
              assert.deepEqual(
                rows.map((r) => r.id),
                brute.slice(0, limit),
                `${label}: ${q} ${dir} limit ${limit}`,
              );
          }
        } finally {
          db.exec('ROLLBACK');
        }
      }
    // Not this path's: a time sort, another column, a search without a free word.
    assert.equal(senderSortedRows(db, { q: 'jane' }, [{ column: 'creation_time', dir: 'desc' }], 10), null);
    assert.equal(senderSortedRows(db, { q: 'jane' }, [{ column: 'message_to', dir: 'asc' }], 10), null);
    assert.equal(
      senderSortedRows(db, { q: 'status:error' }, [{ column: 'message_from', dir: 'asc' }], 10),
      null,
    );
  } finally {
    db.close();
  }
}

/** The command's rows as printed (--json) equal brute force, whichever path answered. */
async function checkCli(w: Workspace, label: string): Promise<void> {
  for (const q of ['jane', '-jane'])
    for (const dir of ['asc', 'desc'] as SortDir[]) {
      const r = await runCli([
        'query',
        '--db',
        w.dbPath,
        '--q',
        q,
        '--sort',
        `message_from:${dir}`,
        '--limit',
        '40',
        '--json',
      ]);
      assert.equal(r.code, 0, r.err);
      const out = JSON.parse(r.out) as { total: number; rows: Record<string, unknown>[] };
      const brute = bruteSortedIds(w.db, { q }, 'message_from', dir);
      assert.equal(out.total, brute.length, `${label}: cli total ${q}`);
      const ids = brute.slice(0, 40);
      const want = ids.map(
        (id) => w.db.prepare('SELECT correlation_id FROM records WHERE id = ?').pluck().get(id) as string,
      );
      assert.deepEqual(
        out.rows.map((row) => row['Correlation ID']),
        want,
        `${label}: cli rows ${q} ${dir}`,
      );
    }
}

function firstImport(db: Database): number {
  return db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
}

test('query by sender under a free word equals brute force from the kept sender codes, only while they fit', async () => {
  const w = workspace();
  const files = writeCsvFiles(
    w.dir,
    [
      { rows: 2400, seed: 71, startMs: Date.UTC(2026, 9, 1) },
      { rows: 700, seed: 72, startMs: Date.UTC(2026, 9, 14) },
    ],
    senderRow,
  );
  try {
    await importFiles(w.db, files.slice(0, 1), { keepMemories: false });
    blankSendersAndSizes(w.db);
    keepMemories(w.db);
    check(w, 'current copies', true);
    await checkCli(w, 'current copies');

    await importFiles(w.db, files.slice(1), { keepMemories: false });
    check(w, 'behind an append', false);
    await checkCli(w, 'behind an append');
    keepMemories(w.db);
    check(w, 'kept after the append', true);

    await removeImport(w.db, firstImport(w.db), new AbortController().signal);
    updateSearchIndex(w.db);
    check(w, 'after a removal', false);
    keepMemories(w.db);
    check(w, 'kept after the removal', true);
    await checkCli(w, 'kept after the removal');
  } finally {
    w.cleanup();
  }
});
