/** SQL of the import: records in multi-row statements, rejected rows, and the imports row. */
import type { Database, Statement } from 'better-sqlite3';
import type { RejectedRow } from '../../../common/contract';
import type { SpecialRow } from './feed-protocol';
import { RECORD_INDEXES, ROW_KEY_INDEX_SQL } from '../db/migrations';
import { DEFERRED_INDEXES } from '../query/search-index';
import { SEARCH_INDEX_READY_KEY } from '../workspace';
import { FIELD_SEP, NUM_COLUMNS, NUM_WIDTH, TEXT_COLUMNS, TEXT_WIDTH } from './rows';

/** Rows per INSERT statement: fewer calls across the JS/C boundary, well under SQLite's 32766 parameters. */
const ROWS_PER_STATEMENT = 32;

/** Parameters per row: the import id, then TEXT_COLUMNS, then NUM_COLUMNS. */
const WIDTH = 1 + TEXT_WIDTH + NUM_WIDTH;

function insertSql(rows: number): string {
  const tuple = `(${new Array<string>(WIDTH).fill('?').join(', ')})`;
  const tuples = new Array<string>(rows).fill(tuple);
  return `INSERT OR IGNORE INTO records (import_id, ${[...TEXT_COLUMNS, ...NUM_COLUMNS].join(', ')}) VALUES ${tuples.join(', ')}`;
}

export interface ImportRowInit {
  readonly fileName: string;
  readonly filePath: string;
  readonly fileSize: number;
  readonly encoding: string;
  readonly delimiter: string;
  readonly headerMapping: string;
  readonly startedAt: number;
}

export class RecordStore {
  private readonly many: Statement;
  /** Statements for the last rows of a batch (fewer than ROWS_PER_STATEMENT), by row count. */
  private readonly tails = new Map<number, Statement>();
  private readonly reject: Statement;
  private readonly params: (string | number | null)[];

  /**
   * `rowsPerStatement` 1 when an expression index is kept in place (IndexPlan.singleRow): a
   * multi-row INSERT then opens a statement journal that copies every existing index page it touches.
   */
  constructor(
    private readonly db: Database,
    private readonly importId: number,
    private readonly rowsPerStatement = ROWS_PER_STATEMENT,
  ) {
    this.params = new Array<string | number | null>(rowsPerStatement * WIDTH);
    this.many = db.prepare(insertSql(rowsPerStatement));
    this.reject = db.prepare(
      'INSERT INTO rejected_rows (import_id, line, column_name, reason, raw) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** Inserts a batch; returns how many rows were new (the rest were duplicates). */
  insertBatch(data: string, nums: Float64Array, rows: number, specials: readonly SpecialRow[] = []): number {
    if (rows === 0) return 0;
    const texts = data.split(FIELD_SEP);
    for (const s of specials)
      for (let i = 0; i < TEXT_WIDTH; i++) texts[s.row * TEXT_WIDTH + i] = s.values[i]!;
    let inserted = 0;
    let r = 0;
    const per = this.rowsPerStatement;
    for (; r + per <= rows; r += per)
      inserted += this.insertRows(this.many, this.params, texts, nums, r, per);
    const rest = rows - r;
    if (rest > 0) {
      // One statement for the remainder rather than one per row (a batch ends mid-group ~always).
      let tail = this.tails.get(rest);
      if (tail === undefined) {
        tail = this.db.prepare(insertSql(rest));
        this.tails.set(rest, tail);
      }
      inserted += this.insertRows(
        tail,
        new Array<string | number | null>(rest * WIDTH),
        texts,
        nums,
        r,
        rest,
      );
    }
    return inserted;
  }

  /** Binds rows [first, first + count) of the batch to `stmt` and runs it; returns the rows inserted. */
  private insertRows(
    stmt: Statement,
    p: (string | number | null)[],
    texts: readonly string[],
    nums: Float64Array,
    first: number,
    count: number,
  ): number {
    const id = this.importId;
    let t = first * TEXT_WIDTH;
    let n = first * NUM_WIDTH;
    let dst = 0;
    for (let k = 0; k < count; k++) {
      p[dst++] = id;
      for (let i = 0; i < TEXT_WIDTH; i++) {
        const v = texts[t++];
        p[dst++] = v === '' ? null : v;
      }
      for (let i = 0; i < NUM_WIDTH; i++) {
        const v = nums[n++];
        p[dst++] = Number.isNaN(v) ? null : v;
      }
    }
    // Spread, not an array: better-sqlite3 reads call arguments directly but an array element by element
    // through the V8 API (measured: ~1 µs less per row of 32 values).
    return stmt.run(...p).changes;
  }

  insertRejected(rows: readonly RejectedRow[]): void {
    for (const r of rows) this.reject.run(this.importId, r.line, r.column, r.reason, r.raw);
  }
}

/**
 * The id the file's `imports` row will get (rowid order), for its records and rejected rows to refer
 * to meanwhile. The row itself is written only when the file is done (insertImportRow), inside the
 * same transaction, so nothing outside it can tell the difference. Why not insert it first and
 * update it last: a page written early in a large transaction and changed again at its end makes
 * SQLite re-read and re-checksum every WAL frame after it at COMMIT (~0.12 s per 1M rows).
 */
export function reserveImportId(db: Database): number {
  return (db.prepare('SELECT ifnull(max(id), 0) + 1 AS id FROM imports').get() as { id: number }).id;
}

export function insertImportRow(
  db: Database,
  id: number,
  init: ImportRowInit,
  f: { contentHash: string; timezoneAssumed: string; imported: number; duplicates: number; rejected: number },
): void {
  db.prepare(
    `INSERT INTO imports (id, file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
       timezone_assumed, started_at, finished_at, rows_imported, rows_duplicate, rows_rejected, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'done')`,
  ).run(
    id,
    init.fileName,
    init.filePath,
    init.fileSize,
    f.contentHash,
    init.encoding,
    init.delimiter,
    init.headerMapping,
    f.timezoneAssumed,
    init.startedAt,
    Date.now(),
    f.imported,
    f.duplicates,
    f.rejected,
  );
}

/**
 * In an empty table, dropping the indexes and building each once after the load is much faster than
 * maintaining them row by row. That includes the dedupe key: duplicates inside the file are then
 * removed by `rebuildRowKeyIndex`. The deferred (search) indexes are rebuilt by updateSearchIndex.
 */
export function dropRecordIndexesIfEmpty(db: Database): boolean {
  const any = db.prepare('SELECT 1 FROM records LIMIT 1').get();
  if (any !== undefined) return false;
  for (const idx of [...RECORD_INDEXES, ...DEFERRED_INDEXES]) db.exec(`DROP INDEX IF EXISTS ${idx.name}`);
  db.exec('DROP INDEX IF EXISTS records_row_key');
  return true;
}

/** Recreates the unique dedupe index after a load without it; returns how many in-file duplicates it removed. */
export function rebuildRowKeyIndex(db: Database): number {
  try {
    db.exec(ROW_KEY_INDEX_SQL);
    return 0;
  } catch (err) {
    if (!(err instanceof Error && /UNIQUE/i.test(err.message))) throw err;
  }
  // Rare: the file repeats a record. Keep the first occurrence, as INSERT OR IGNORE would have.
  db.exec('CREATE INDEX records_row_key_dedupe ON records(creation_time_ms, row_key, id)');
  const removed = db
    .prepare(
      `DELETE FROM records WHERE EXISTS (SELECT 1 FROM records AS r
         WHERE r.creation_time_ms = records.creation_time_ms AND r.row_key = records.row_key AND r.id < records.id)`,
    )
    .run().changes;
  db.exec('DROP INDEX records_row_key_dedupe');
  db.exec(ROW_KEY_INDEX_SQL);
  return removed;
}

export function markSearchIndexStale(db: Database): void {
  db.prepare("INSERT INTO meta(key, value) VALUES (?, '0') ON CONFLICT(key) DO UPDATE SET value = '0'").run(
    SEARCH_INDEX_READY_KEY,
  );
}
