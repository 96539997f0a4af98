/**
 * Migration 4's data step: records imported before enum values were folded keep their text as
 * written (" ok", "Error "). This folds them as a new import would: the canonical value in the
 * column, the original in `raw_values` (so a re-export is unchanged), the dedupe key untouched
 * (it was computed from the original text, as new imports still compute it).
 */
import type { Database } from 'better-sqlite3';
import { ENUM_COLUMNS, foldEnum } from '../../../common/enum-values';

export function foldStoredEnums(db: Database): number {
  // Candidates only: rows with a value outside the documented set (none, in a normal workspace).
  const where = ENUM_COLUMNS.map((c) => `${c.id} NOT IN (${[...c.values].map(() => '?').join(', ')})`).join(
    ' OR ',
  );
  const params = ENUM_COLUMNS.flatMap((c) => [...c.values]);
  const rows = db
    .prepare(`SELECT id, ${ENUM_COLUMNS.map((c) => c.id).join(', ')} FROM records WHERE ${where}`)
    .all(...params) as Record<string, string | number | null>[];
  const update = db.prepare(
    `UPDATE records SET ${ENUM_COLUMNS.map((c) => `${c.id} = ?`).join(', ')}, raw_values = ? WHERE id = ?`,
  );
  let changed = 0;
  for (const row of rows) {
    const raw: Record<string, string> = {};
    const values = ENUM_COLUMNS.map((c) => {
      const v = row[c.id];
      if (typeof v !== 'string') return v ?? null;
      const folded = foldEnum(c, v);
      if (folded === v) return v;
      raw[c.id] = v;
      return folded === '' ? null : folded;
    });
    if (Object.keys(raw).length === 0) continue;
    update.run(...values, JSON.stringify(raw), row.id);
    changed++;
  }
  return changed;
}
