/**
 * Path grants on top of the contract's IPC table: import:start reads only files the user chose and
 * export:start and lookup:export write only where the user said in the save dialog (see grants.ts for why).
 */
import type { Envelope } from '../../common/contract';
import type { IpcTable } from '../ipc/table';
import type { PathGrants } from './grants';

export function forbidden(message: string, details?: Record<string, unknown>): Envelope<never> {
  return { ok: false, error: { code: 'FORBIDDEN', message, ...(details ? { details } : {}) } };
}

function field(raw: unknown, key: string): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function guardTable(table: IpcTable, grants: PathGrants): IpcTable {
  const importStart: IpcTable['import:start'] = (raw) => {
    const denied = grants.firstUngranted('import', strings(field(raw, 'paths')));
    if (denied !== null)
      return Promise.resolve(
        forbidden('Import files by choosing or dropping them; this file was not chosen', { path: denied }),
      );
    return table['import:start'](raw);
  };
  // Both write files: only to a path the user picked in the save dialog.
  const writesTo =
    <T>(inner: (raw: unknown) => Promise<Envelope<T>>) =>
    (raw: unknown): Promise<Envelope<T>> => {
      const target = field(raw, 'path');
      if (typeof target === 'string' && !grants.has('export', target))
        return Promise.resolve(
          forbidden('Choose where to save the export in the save dialog first', { path: target }),
        );
      return inner(raw);
    };
  return {
    ...table,
    'import:start': importStart,
    'export:start': writesTo(table['export:start']),
    'lookup:export': writesTo(table['lookup:export']),
  };
}
