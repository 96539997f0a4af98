/** The probe tests' shared case: one import, an append with odd rows, then the first import removed. */
import assert from 'node:assert/strict';
import type { Database } from 'better-sqlite3';
import { removeImport } from '../../main/engine/import/remove';
import { enableColumnCodes, stepColumnCodes } from '../../main/engine/query/column-codes';
import { importFiles, workspace, writeCsvFiles } from './import-fixture';

/**
 * Runs `check` (pages probed, compared with brute force; returns how many the probe answered) with
 * the value codes loaded after each step, and asserts the probe answered some in each.
 */
export async function probeAcrossChanges(
  check: (db: Database, label: string) => number,
  addOddRows: (db: Database) => void,
): Promise<void> {
  const w = workspace();
  try {
    // More records than the first probe tests (2 000), fewer than the second (20 000).
    const files = writeCsvFiles(
      w.dir,
      [1, 2].map((k) => ({ rows: 3000, seed: k, startMs: Date.UTC(2026, 9, 20 + 10 * (k - 1)) })),
    );
    await importFiles(w.db, [files[0]]);
    enableColumnCodes(w.db);
    while (stepColumnCodes(w.db));
    assert.ok(check(w.db, 'one import') > 0);
    await importFiles(w.db, [files[1]]);
    addOddRows(w.db);
    while (stepColumnCodes(w.db));
    assert.ok(check(w.db, 'appended') > 0);
    await removeImport(w.db, 1, new AbortController().signal);
    while (stepColumnCodes(w.db));
    assert.ok(check(w.db, 'removed') > 0);
  } finally {
    w.cleanup();
  }
}
