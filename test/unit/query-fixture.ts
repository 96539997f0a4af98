/** Temp workspaces with generated and hand-made records for the query tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS, type ColumnId } from '../../common/columns';
import { FIXTURE_COLUMNS, fillRecords, parseUtc, smtpCodes } from '../../bench/query-data';
import { openDatabase } from '../../main/engine/db/open';

export interface Workspace {
  readonly db: Database;
  readonly file: string;
  readonly close: () => void;
}

export function tempWorkspace(): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-query-'));
  const file = path.join(dir, 'w.sqlite');
  const db = openDatabase(file);
  return {
    db,
    file,
    close: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Rec = Partial<Record<ColumnId, string | number | null>>;

let seq = 0;

/** Inserts one record; unspecified columns are NULL. Times are UTC text like the generator's. */
export function insertRecord(db: Database, rec: Rec): number {
  const importId =
    (db.prepare('SELECT max(id) AS id FROM imports').get() as { id: number | null }).id ??
    Number(
      db
        .prepare(
          `INSERT INTO imports (file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
            timezone_assumed, started_at, status) VALUES ('hand.csv', '/hand.csv', 0, 'h', 'utf-8', ',', '[]', 'UTC', 0, 'done')`,
        )
        .run().lastInsertRowid,
    );
  seq++;
  const smtp =
    typeof rec.smtp_status_code === 'string'
      ? smtpCodes(rec.smtp_status_code)
      : { code: null, enhanced: null };
  const ct = typeof rec.creation_time === 'string' ? parseUtc(rec.creation_time) : null;
  const mt = typeof rec.meta_data_creation_time === 'string' ? parseUtc(rec.meta_data_creation_time) : null;
  const cols = FIXTURE_COLUMNS;
  const values = [
    importId,
    seq,
    `hand-${seq}-${Math.random()}`,
    ...COLUMN_IDS.map((c) => rec[c] ?? null),
    ct,
    mt,
    smtp.code,
    smtp.enhanced,
  ];
  return Number(
    db
      .prepare(`INSERT INTO records (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
      .run(...values).lastInsertRowid,
  );
}

/** Rows that exercise NULLs, ties, LIKE wildcards and quotes. */
export function insertOddRows(db: Database): void {
  insertRecord(db, { message_to: null, status: null, creation_time: null, message_size: null });
  insertRecord(db, {
    message_to: 'Percent@Odd.de',
    message_to_domain: 'odd.de',
    status: 'OK',
    substatus: 'DELIVERED',
    smtp_status_code: '250 2.0.0 100%_off accepted',
  });
  insertRecord(db, {
    message_to: 'quote"o\'reilly@odd.de',
    message_to_domain: 'odd.de',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'HARD_BOUNCE',
    smtp_status_code: '550 5.1.1 user unknown',
    creation_time: '2026-10-02 00:00:00.000',
  });
  insertRecord(db, {
    message_to: 'UPPER.CASE@ODD.DE',
    message_to_domain: 'ODD.DE',
    status: 'OK',
    creation_time: '2026-10-02 00:00:00.000',
    message_size: 5000,
  });
  insertRecord(db, {
    message_to: 'ab@x.io',
    status: 'ERROR',
    substatus: 'DROPPED',
    status_details: 'SUPPRESSED',
    processing_region: 'DE1',
    entry_interface: 'smtp',
  });
}

export interface Filled extends Workspace {
  readonly all: () => Record<string, string | number | null>[];
}

/** A workspace with `rows` generated records plus the odd rows. */
export function filledWorkspace(rows: number): Filled {
  const ws = tempWorkspace();
  fillRecords(ws.db, { rows, seed: 7, spanDays: 10 });
  insertOddRows(ws.db);
  return {
    ...ws,
    all: () =>
      ws.db.prepare('SELECT * FROM records ORDER BY id').all() as Record<string, string | number | null>[],
  };
}

/** A record as `SELECT *` returns it, for brute-force checks in JavaScript. */
export type Row = Record<string, string | number | null>;

export const lc = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');

/** Case-insensitive substring, as the search box means it. */
export const has = (v: unknown, s: string): boolean => lc(v).includes(s.toLowerCase());

/** What a free word in the search box matches: the searchable texts by substring, the ids exactly. */
export const quick = (r: Row, w: string): boolean =>
  ['message_to', 'message_from', 'message_to_domain', 'message_from_domain', 'smtp_status_code'].some((c) =>
    has(r[c], w),
  ) ||
  r.correlation_id === w ||
  r.job_id === w ||
  r.usage_id === w;

/** Every record's id in `ORDER BY expr, id` (both one way), read without an index: the brute-force order. */
export function bruteOrder(db: Database, expr: string, asc: boolean): number[] {
  const d = asc ? 'ASC' : 'DESC';
  return db
    .prepare(`SELECT id FROM records NOT INDEXED ORDER BY ${expr} ${d}, id ${d}`)
    .pluck()
    .all() as number[];
}
