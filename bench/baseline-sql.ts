/** The sqlite3 CLI baseline's indexes: the engine's, on the CLI's all-TEXT table named by header. */
import { COLUMNS } from '../common/columns';
import { RECORD_INDEXES } from '../main/engine/db/migrations';

/** The engine's B-tree indexes, rewritten onto the CLI's all-TEXT table named by header. */
export function baselineIndexSql(): string[] {
  const header = new Map<string, string>(COLUMNS.map((c) => [c.id, c.header]));
  header.set('creation_time_ms', 'Creation Time');
  return RECORD_INDEXES.map(({ name, sql }) => {
    const cols = /ON records\((.*)\)\s*$/.exec(sql)?.[1] ?? '';
    // The CLI gets plain column indexes: lower(x), COLLATE and the copy of the column that makes the
    // engine's lower() indexes covering are the engine's choices, not the baseline's.
    const mapped = cols
      .split(',')
      .map(
        (c) =>
          c
            .trim()
            .replace(/^lower\((\w+)\)$/, '$1')
            .split(/\s+/)[0] ?? '',
      )
      .filter((c, i, all) => c !== 'id' && header.has(c) && all.indexOf(c) === i)
      .map((c) => `"${header.get(c)}"`);
    return `CREATE INDEX ${name} ON records(${mapped.join(', ')});`;
  });
}
