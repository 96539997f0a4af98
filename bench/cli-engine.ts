/**
 * The engine calls of the CLI's `count`, `facets` and `query --limit 100` (what bench/cli.ts times as
 * "engine alone"), and, run as a script, one of them timed in a process of its own: `node
 * dist/bench/cli-engine.js <command> <workspace> [<search>]` prints the ms of the call.
 *
 * Why (issue 12, 16c): "engine alone" runs in the bench process, whose engine code the filters before
 * have already compiled and optimised; a command runs it once in a new process. At 5M rows, `count
 * -jane` took 400-440 ms of CPU on a fresh process's first call and 250-350 on its second and third
 * (under load), so the end-to-end figure's excess over process start + engine alone was mostly not
 * outside the engine. The call in a process of its own (modules loaded and the connection opened before
 * the clock starts, as in engineAlone) is the engine's share of a command's time.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../common/contract';
import { CLI_MMAP_BYTES } from '../main/cli/commands/query';
import { restoreForSearch } from '../main/cli/kept-memories';
import { openDatabase } from '../main/engine/db/open';
import { countRows, getFacets } from '../main/engine/query';
import { iterateRows } from '../main/engine/query/stream';

export type CliCommandName = 'count' | 'facets' | 'query';

/** Rows the bench's `query` asks for. */
export const QUERY_LIMIT = 100;

export const CLI_ENGINE: Readonly<Record<CliCommandName, (db: Database, filter: FilterModel) => unknown>> = {
  count: (db, filter) => {
    restoreForSearch(db, filter, 'count');
    return countRows(db, filter);
  },
  facets: (db, filter) => {
    restoreForSearch(db, filter, 'facets');
    return getFacets(db, filter, 10);
  },
  // The command prints the total and the newest rows: the count and one sorted page.
  query: (db, filter) => {
    restoreForSearch(db, filter, 'query');
    const total = countRows(db, filter);
    const rows = [...iterateRows(db, filter, [{ column: 'creation_time', dir: 'desc' }], QUERY_LIMIT)];
    return [total, rows.length];
  },
};

/** One engine call on a connection opened for it as the CLI opens it (withDb; the open itself not timed). */
export function engineAlone(dbPath: string, fn: (db: Database) => unknown): number {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    db.pragma(`mmap_size = ${CLI_MMAP_BYTES}`);
    db.prepare('SELECT 1 FROM records LIMIT 1').get();
    const t0 = performance.now();
    fn(db);
    return performance.now() - t0;
  } finally {
    db.close();
  }
}

function isCommand(name: string | undefined): name is CliCommandName {
  return name === 'count' || name === 'facets' || name === 'query';
}

if (require.main === module) {
  const [name, dbPath, q] = process.argv.slice(2);
  if (!isCommand(name) || dbPath === undefined) throw new Error('usage: cli-engine.js <command> <db> [q]');
  const filter: FilterModel = q === undefined || q === '' ? {} : { q };
  process.stdout.write(`${engineAlone(dbPath, (db) => CLI_ENGINE[name](db, filter))}\n`);
}
