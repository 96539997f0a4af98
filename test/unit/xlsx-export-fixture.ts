/**
 * What the .xlsx export tests share: openpyxl as the independent reader (Debian's python3-openpyxl,
 * installed by .ci/run), an export request, an import of the file written, and the stored values.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { COLUMNS } from '../../common/columns';
import type { ExportRequest } from '../../common/contract';
import { runImport } from '../../main/engine/import/importer';

export const quiet = { signal: new AbortController().signal, onProgress: () => undefined };
const CHECKER = path.join(__dirname, '..', '..', '..', 'test', 'unit', 'xlsx-check.py');
// Debian's python3 (where python3-openpyxl installs), not whatever python3 comes first on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface CheckedCell {
  type: string;
  isDate: boolean;
  format: string;
  value: string | number | boolean | null;
}
export interface CheckedSheet {
  name: string;
  maxRow: number;
  freeze: string | null;
  filter: string | null;
  headerBold: boolean[];
  notes: Record<string, string>;
  widths: Record<string, number>;
  cells: CheckedCell[][];
}

/** openpyxl's view of the file; fails (never skips) when openpyxl is missing: .ci/run installs it. */
export function openpyxl(file: string, rows = 5): CheckedSheet[] {
  const out = execFileSync(PYTHON, [CHECKER, file, String(rows)], { encoding: 'utf8' });
  return (JSON.parse(out) as { sheets: CheckedSheet[] }).sheets;
}

export function request(out: string, extra: Partial<ExportRequest> = {}): ExportRequest {
  return {
    jobId: 'x',
    path: out,
    filter: {},
    sort: [],
    delimiter: ',',
    bom: false,
    formulaGuard: true,
    format: 'xlsx',
    ...extra,
  };
}

export async function importOne(db: Database, file: string): Promise<void> {
  const r = await runImport(db, { jobId: 'i', paths: [file] }, quiet);
  assert.equal(r.files[0].error, undefined);
  assert.equal(r.files[0].rejected, 0);
}

/** Every stored value that the round trip compares: text columns as text, times as ms. */
export function records(db: Database): unknown[][] {
  const cols = COLUMNS.map((c) => (c.kind === 'time' ? `${c.id}_ms` : c.id));
  return db
    .prepare(`SELECT ${cols.join(', ')} FROM records ORDER BY line`)
    .raw()
    .all() as unknown[][];
}
