/**
 * Export dates in one zone: Creation Time and Meta Data Creation Time written as ISO 8601 with the
 * zone's offset ("2026-10-05 21:42:00+02:00"), so a spreadsheet shows the wall clock the app showed
 * and the instant stays unambiguous. Without a zone the export writes the text as imported.
 */
import type { Database } from 'better-sqlite3';
import type { ColumnId } from '../../../common/columns';
import { zonedIsoWriter } from '../../../common/time-zone';
import type { CompiledSql } from '../query/select';

const ZONED: Partial<Record<ColumnId, string>> = {
  creation_time: 'creation_time_ms',
  meta_data_creation_time: 'meta_data_creation_time_ms',
};

/** Registers di_zoned_time(ms, text) on the reading connection: the time in `zone`, or the text when unparsed. */
export function registerZonedTime(db: Database, zone: string): void {
  const write = zonedIsoWriter(zone);
  db.function('di_zoned_time', { deterministic: true }, (ms: unknown, text: unknown) => {
    if (typeof ms !== 'number' && typeof ms !== 'bigint') return text ?? null;
    // Milliseconds only where the source had them, so a plain "19:42:00" stays plain.
    const millis = typeof text === 'string' && /[.,]\d/.test(text);
    return write(Number(ms), millis);
  });
}

/**
 * The export's select with the time columns rewritten. compileSelect starts "SELECT <columns> FROM
 * records"; only that column list is replaced, each entry with a whitelisted expression.
 */
export function zonedSelect(inner: CompiledSql, columns: readonly ColumnId[]): CompiledSql {
  // The export's select also carries raw_values (the file's text of folded values) after the columns.
  const plain = `SELECT ${columns.join(', ')} FROM records `;
  const withRaw = `SELECT ${columns.join(', ')}, raw_values FROM records `;
  const list = inner.sql.startsWith(withRaw) ? withRaw : inner.sql.startsWith(plain) ? plain : null;
  if (list === null) return inner;
  const exprs = columns.map((c) => {
    const ms = ZONED[c];
    return ms ? `di_zoned_time(${ms}, ${c}) AS ${c}` : c;
  });
  return {
    sql: `SELECT ${exprs.join(', ')}${list === withRaw ? ', raw_values' : ''} FROM records ${inner.sql.slice(list.length)}`,
    params: inner.params,
  };
}
