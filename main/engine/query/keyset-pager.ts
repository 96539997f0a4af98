/**
 * Keyset paging over one (filter, sort): rows are read by seeking to a known anchor (the sort key and
 * id of every ANCHOR_EVERY-th row, found lazily from the nearest one before it) and skipping fewer than
 * ANCHOR_EVERY rows. NULL sort values form their own segment (first when ascending, last when
 * descending, as SQLite orders them); within a segment the order is (key, id), so row-value
 * comparisons seek through the indexes. Split from paging.ts, which chooses among the page paths.
 */
import type { Database } from 'better-sqlite3';
import type { RecordRow } from '../../../common/contract';
import { and, type Param, type SqlPart } from './filter';
import { RECORD_SELECT, type ResolvedSortKey } from './sql';
import { keysetBound, keysetPageSql } from './keyset-sides';

export const ANCHOR_EVERY = 1000;

export type Anchor = 'start' | { readonly seg: number; readonly k: Param | null; readonly id: number };
type Seg = 'null' | 'value';
export type Fetched = RecordRow & { readonly __k: Param | null };

export function countWhere(db: Database, where: SqlPart): number {
  return (
    db.prepare(`SELECT count(*) AS n FROM records WHERE ${where.sql}`).get(...where.params) as { n: number }
  ).n;
}

export class Pager {
  private readonly segs: readonly Seg[];
  private readonly key: ResolvedSortKey | null;
  private readonly op: string;
  private readonly dir: string;
  /** Bound of the sort key's partial index (keyset-sides.ts); null: one plain query. */
  private readonly upto: number | null;

  constructor(
    private readonly db: Database,
    private readonly where: SqlPart,
    keys: readonly ResolvedSortKey[],
    /** `records`, or `records INDEXED BY <sort index>` (sort-index.ts). */
    private readonly from = 'records',
  ) {
    this.key = keys.length === 2 ? keys[0] : null;
    const asc = keys[0].dir === 'asc';
    this.segs = this.key === null ? ['value'] : asc ? ['null', 'value'] : ['value', 'null'];
    this.op = asc ? '>=' : '<=';
    this.dir = asc ? 'ASC' : 'DESC';
    this.upto = from === 'records' ? keysetBound(db, this.key?.expr) : null;
  }

  private segPart(seg: Seg, anchor: Anchor): SqlPart {
    const k = this.key?.expr;
    if (anchor === 'start')
      return k === undefined
        ? { sql: '1', params: [] }
        : { sql: `${k} IS ${seg === 'null' ? '' : 'NOT '}NULL`, params: [] };
    if (k === undefined) return { sql: `id ${this.op} ?`, params: [anchor.id] };
    if (seg === 'null') return { sql: `${k} IS NULL AND id ${this.op} ?`, params: [anchor.id] };
    return { sql: `(${k}, id) ${this.op} (?, ?)`, params: [anchor.k as Param, anchor.id] };
  }

  private order(seg: Seg): string {
    return seg === 'null' || this.key === null
      ? `id ${this.dir}`
      : `${this.key.expr} ${this.dir}, id ${this.dir}`;
  }

  /**
   * Up to `limit` rows starting `skip` rows after the anchor, each with the segment it came from.
   * `keysOnly` reads just (id, key), so skipping runs over the index without touching the table.
   */
  fetch(anchor: Anchor, skip: number, limit: number, keysOnly = false): { row: Fetched; seg: number }[] {
    const out: { row: Fetched; seg: number }[] = [];
    const first = anchor === 'start' ? 0 : anchor.seg;
    for (let s = first; s < this.segs.length && out.length < limit; s++) {
      const seg = this.segs[s];
      const cond = and([this.where, this.segPart(seg, s === first ? anchor : 'start')]);
      const head = `SELECT ${keysOnly ? 'id' : RECORD_SELECT}, ${this.key?.expr ?? 'id'} AS __k FROM ${this.from}`;
      const outer =
        seg === 'null' || this.key === null ? `id ${this.dir}` : `__k ${this.dir}, id ${this.dir}`;
      const page = keysetPageSql(this.upto, head, cond, this.order(seg), outer, limit - out.length, skip);
      const rows = this.db.prepare(page.sql).all(...page.params) as Fetched[];
      for (const row of rows) out.push({ row, seg: s });
      if (rows.length > 0) skip = 0;
      else if (skip > 0) skip = Math.max(0, skip - countWhere(this.db, cond));
    }
    return out;
  }

  /** The anchor of row j*ANCHOR_EVERY, found from the nearest known anchor before it; null past the end. */
  anchor(anchors: Map<number, Anchor | null>, j: number): Anchor | null {
    const known = anchors.get(j);
    if (known !== undefined) return known;
    // The nearest known anchor below j, found over the (few) known ones: walking down one index at a
    // time took hours for a startRow near MAX_SAFE_INTEGER and blocked every other query meanwhile.
    let i = 0;
    for (const [n, a] of anchors) {
      if (n < j && n > i) i = n;
      // A known end (null) below j means j is past the end too.
      if (n < j && a === null) return null;
    }
    const base = anchors.get(i) ?? null;
    let found: Anchor | null = null;
    if (base !== null) {
      const hit = this.fetch(base, (j - i) * ANCHOR_EVERY, 1, true)[0];
      if (hit) found = { seg: hit.seg, k: hit.row.__k, id: hit.row.id };
    }
    anchors.set(j, found);
    return found;
  }
}

export function strip(row: Fetched): RecordRow {
  const copy: { -readonly [K in keyof Fetched]?: Fetched[K] } = { ...row };
  delete copy.__k;
  return copy as RecordRow;
}
