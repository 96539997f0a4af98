/** Shared helpers for the import tests: temp workspaces, fixture paths, a one-call import. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv, type GenerateOptions } from '../../bench/generate';
import type { Delimiter, EncodingName, ImportProgress, ImportResult } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { runImport } from '../../main/engine/import/importer';

export const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'import');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export interface Workspace {
  readonly dir: string;
  readonly dbPath: string;
  readonly db: Database;
  cleanup(): void;
}

export function workspace(): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-import-'));
  const dbPath = path.join(dir, 'w.sqlite');
  const db = openDatabase(dbPath);
  return {
    dir,
    dbPath,
    db,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes one generated export per options entry into `dir` as `0.csv`, `1.csv`, …, each row passed
 * through `edit` (row, index in its file) when given; returns the paths.
 */
export function writeCsvFiles(
  dir: string,
  opts: readonly GenerateOptions[],
  edit?: (row: string[], i: number) => string[],
): string[] {
  return opts.map((o, i) => {
    const file = path.join(dir, `${i}.csv`);
    writeFileSync(file, toCsv(edit === undefined ? generateRows(o) : [...generateRows(o)].map(edit)));
    return file;
  });
}

/**
 * Some senders NULL, some empty, some sizes NULL: the `from:` and `size` paths and the facets must count
 * them as brute force does, and the generator never writes them.
 */
export function blankSendersAndSizes(db: Database): void {
  db.exec(`UPDATE records SET message_from = NULL WHERE id % 23 = 0;
    UPDATE records SET message_from = '' WHERE id % 29 = 0;
    UPDATE records SET message_size = NULL WHERE id % 17 = 0`);
}

export function importFiles(
  db: Database,
  paths: readonly string[],
  opts: {
    delimiter?: Delimiter;
    encoding?: EncodingName;
    signal?: AbortSignal;
    onProgress?: (p: ImportProgress) => void;
    chunkBytes?: number;
    force?: boolean;
    keepMemories?: boolean;
  } = {},
): Promise<ImportResult> {
  return runImport(
    db,
    {
      jobId: 'test',
      paths,
      ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
      ...(opts.force ? { force: true } : {}),
    },
    {
      signal: opts.signal ?? new AbortController().signal,
      onProgress: opts.onProgress ?? (() => undefined),
      ...(opts.chunkBytes !== undefined ? { chunkBytes: opts.chunkBytes } : {}),
      ...(opts.keepMemories !== undefined ? { keepMemories: opts.keepMemories } : {}),
    },
  );
}

export function count(db: Database, table: 'records' | 'imports' | 'rejected_rows'): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Finished imports only: failed and cancelled files are recorded in the history too (with their reason). */
export function doneImports(db: Database): number {
  return (db.prepare("SELECT count(*) AS n FROM imports WHERE status = 'done'").get() as { n: number }).n;
}

/** Status and reason of the stopped (failed or cancelled) imports, oldest first. */
export function stoppedImports(db: Database): { status: string; error: string }[] {
  return db.prepare("SELECT status, error FROM imports WHERE status <> 'done' ORDER BY id").all() as {
    status: string;
    error: string;
  }[];
}

export function record(db: Database, correlationId: string): Record<string, unknown> {
  const row = db.prepare('SELECT * FROM records WHERE correlation_id = ?').get(correlationId) as
    Record<string, unknown> | undefined;
  if (!row) throw new Error(`no record ${correlationId}`);
  return row;
}

export function indexNames(db: Database): string[] {
  return (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);
}

/** Starts an import in a child process and SIGKILLs it once it reports `phase`. */
export function killDuring(
  dbPath: string,
  csv: string,
  phase: ImportProgress['phase'],
  dir: string,
): Promise<string> {
  const script = path.join(dir, 'child.js');
  const dist = path.join(__dirname, '..', '..');
  writeFileSync(
    script,
    `const { openDatabase } = require(${JSON.stringify(path.join(dist, 'main/engine/db/open.js'))});
const { runImport } = require(${JSON.stringify(path.join(dist, 'main/engine/import/importer.js'))});
const db = openDatabase(process.argv[2]);
runImport(db, { jobId: 'k', paths: [process.argv[3]] }, { signal: new AbortController().signal,
  onProgress: (p) => { if (p.phase === ${JSON.stringify(phase)} && (p.rows > 0 || p.phase !== 'rows')) process.stdout.write('reached\\n'); } })
  .then(() => process.stdout.write('finished\\n'));`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dbPath, csv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('reached')) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(`${signal ?? ''} ${seen}`));
  });
}
