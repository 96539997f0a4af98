import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ExportRequest } from '../../common/contract';
import { writeExport } from '../../bench/generate';
import { openDatabase } from '../../main/engine/db/open';
import { runExport } from '../../main/engine/export/exporter';
import { runImport } from '../../main/engine/import/importer';
import { tempDir } from './export-fixture';

const quiet = { signal: new AbortController().signal, onProgress: () => undefined };

async function importInto(file: string, csv: string): Promise<void> {
  const db = openDatabase(file);
  try {
    const result = await runImport(db, { jobId: `imp-${path.basename(file)}`, paths: [csv] }, quiet);
    const f = result.files[0];
    assert.equal(f?.error, undefined);
    assert.equal(f?.rejected, 0);
  } finally {
    db.close();
  }
}

async function exportFrom(file: string, out: string): Promise<void> {
  const db = openDatabase(file);
  try {
    const req: ExportRequest = {
      jobId: 'exp',
      path: out,
      filter: {},
      sort: [],
      delimiter: ',',
      bom: false,
      formulaGuard: false,
    };
    await runExport(db, req, quiet);
  } finally {
    db.close();
  }
}

test('export -> import -> export round trip is byte-identical with the guard off', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const original = path.join(dir, 'original.csv');
    await writeExport(original, { rows: 5000, seed: 13 });
    await importInto(path.join(dir, 'a.sqlite'), original);
    const first = path.join(dir, 'first.csv');
    await exportFrom(path.join(dir, 'a.sqlite'), first);
    // Import order is kept (no sort = import order), so the export equals the file imported.
    assert.equal(readFileSync(first, 'utf8'), readFileSync(original, 'utf8'));
    await importInto(path.join(dir, 'b.sqlite'), first);
    const second = path.join(dir, 'second.csv');
    await exportFrom(path.join(dir, 'b.sqlite'), second);
    assert.equal(readFileSync(second, 'utf8'), readFileSync(first, 'utf8'));
  } finally {
    cleanup();
  }
});
