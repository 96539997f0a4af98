/**
 * Fills a workspace with generated records by a plain INSERT loop, so the query engine can be
 * developed, tested and benchmarked without the importer. Times are read as UTC, the way the
 * generator writes them; smtp_code / smtp_enhanced are parsed the way the importer fills them.
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS } from '../common/columns';
import { openDatabase } from '../main/engine/db/open';
import { updateSearchIndex } from '../main/engine/query/search-index';
import type { BenchContext } from './context';
import { generateRows, type GenerateOptions } from './generate';

/** "2026-10-01 12:00:00.123" (UTC) -> epoch ms, or null. */
/** '2026-10-02 00:00:00.000' or an ISO time with its own 'Z' (a second 'Z' made it NaN: a NULL time). */
export function parseUtc(text: string): number | null {
  const iso = text.replace(' ', 'T');
  const ms = Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? null : ms;
}

export function smtpCodes(text: string): { code: number | null; enhanced: string | null } {
  const basic = /(?:^|\s|said: )([245]\d\d)[\s-]/.exec(text);
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text);
  return { code: basic ? Number(basic[1]) : null, enhanced: enhanced ? enhanced[1] : null };
}

/**
 * The stored columns these fixtures fill, in the order they pass the values (`extra`, the JSON of
 * unknown columns, stays NULL). The importer sends the same values split into text and numbers.
 */
export const FIXTURE_COLUMNS = [
  'import_id',
  'line',
  'row_key',
  ...COLUMN_IDS,
  'creation_time_ms',
  'meta_data_creation_time_ms',
  'smtp_code',
  'smtp_enhanced',
];

/** Inserts `opts.rows` generated records under one import; returns the import id. */
export function fillRecords(db: Database, opts: GenerateOptions): number {
  const importId = Number(
    db
      .prepare(
        `INSERT INTO imports (file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
          timezone_assumed, started_at, finished_at, rows_imported, status)
         VALUES ('generated.csv', '/generated.csv', 0, ?, 'utf-8', ',', '[]', 'UTC', ?, ?, ?, 'done')`,
      )
      .run(`gen-${Date.now()}-${Math.random()}`, Date.now(), Date.now(), opts.rows).lastInsertRowid,
  );
  const cols = FIXTURE_COLUMNS;
  const insert = db.prepare(
    `INSERT INTO records (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  const intCols = new Set(['message_size', 'version']);
  let line = 1;
  const batch = db.transaction((rows: string[][]) => {
    for (const row of rows) {
      line++;
      const values = row.map((v, i) =>
        v === '' ? null : intCols.has(COLUMN_IDS[i] as string) ? Number(v) : v,
      );
      const smtp = smtpCodes(row[10] ?? '');
      insert.run(
        importId,
        line,
        `${importId}:${line}`,
        ...values,
        parseUtc(row[0] ?? ''),
        parseUtc(row[21] ?? ''),
        smtp.code,
        smtp.enhanced,
      );
    }
  });
  let buf: string[][] = [];
  for (const row of generateRows(opts)) {
    buf.push(row);
    if (buf.length === 10_000) {
      batch(buf);
      buf = [];
    }
  }
  batch(buf);
  return importId;
}

/**
 * The workspace a query-side section measures: the import section's, or (run alone) one filled here
 * by INSERT under `name` in the bench's folder, with its search index built.
 */
export function benchWorkspace(ctx: BenchContext, name: string): string {
  if (ctx.dbPath !== null) return ctx.dbPath;
  const file = path.join(ctx.workDir, name);
  ctx.log(`no imported workspace: filling ${ctx.rows} generated rows by INSERT into ${file}`);
  const w = openDatabase(file);
  fillRecords(w, { rows: ctx.rows });
  updateSearchIndex(w);
  w.close();
  return file;
}
