/**
 * The five enum columns (Status, Substatus, Status Details, Entry Interface, Processing Region) and
 * the one rule that folds a value to its canonical spelling: trimmed, and in the case the portal
 * documents (upper case; lower case for Entry Interface). The import stores the canonical value (the
 * original text is kept beside it for re-export), and search and grid filters fold what the user
 * typed the same way, so " ok", "Ok" and "OK" are one value everywhere. Values outside the
 * documented set are folded alike and kept. Pure TypeScript: shared by the engine and the renderer.
 */
import { COLUMNS, type ColumnId } from './columns';

export interface EnumColumn {
  readonly id: ColumnId;
  /** The documented values, in their documented spelling. */
  readonly values: ReadonlySet<string>;
  readonly lower: boolean;
}

export const ENUM_COLUMNS: readonly EnumColumn[] = COLUMNS.filter((c) => c.kind === 'enum').map((c) => {
  const values = c.values ?? [];
  return {
    id: c.id,
    values: new Set(values),
    lower: values.length > 0 && values.every((v) => v === v.toLowerCase()),
  };
});

const BY_ID = new Map<string, EnumColumn>(ENUM_COLUMNS.map((c) => [c.id, c]));

export function enumColumn(id: string): EnumColumn | undefined {
  return BY_ID.get(id);
}

/** The canonical spelling of a value of an enum column. */
export function foldEnum(column: EnumColumn, value: string): string {
  const t = value.trim();
  return column.lower ? t.toLowerCase() : t.toUpperCase();
}

/** The canonical spelling for any column: enum values folded, other columns' values unchanged. */
export function canonicalValue(columnId: string, value: string): string {
  const c = BY_ID.get(columnId);
  return c === undefined ? value : foldEnum(c, value);
}
