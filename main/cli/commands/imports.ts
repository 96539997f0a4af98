/**
 * `imports --db F [--json]`: the import history (ids for `remove-import` and `import --replace`).
 * `remove-import --db F <id> [--json]`: deletes one import's records; the history keeps it as removed.
 */
import { existsSync } from 'node:fs';
import { openDatabase } from '../../engine/db/open';
import { EngineError } from '../../engine/errors';
import { listImports } from '../../engine/import/history';
import { removeImport } from '../../engine/import/remove';
import { checkKnown, flag, requiredOption, UsageError, type ParsedArgs } from '../args';
import type { CliIo } from '../index';
import { assertWorkspaceFile } from '../workspace-file';

function openExisting(dbFile: string): ReturnType<typeof openDatabase> {
  // Opening a missing path would create an empty workspace.
  if (!existsSync(dbFile)) throw new EngineError('NOT_FOUND', `No workspace database at ${dbFile}.`);
  assertWorkspaceFile(dbFile);
  return openDatabase(dbFile);
}

export function importsCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'json']);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const db = openExisting(requiredOption(args, 'db'));
  try {
    const list = listImports(db);
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(list)}\n`);
    else
      for (const h of list)
        io.stdout.write(
          `#${h.id}  ${h.fileName}  ${h.imported.toLocaleString('en')} rows  ${h.status}` +
            `${h.timezoneAssumed ? `  times in ${h.timezoneAssumed}` : ''}${h.error ? `  (${h.error})` : ''}\n`,
        );
    return Promise.resolve(0);
  } finally {
    db.close();
  }
}

export async function removeImportCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'json']);
  const [idText, ...rest] = args.positionals;
  if (idText === undefined) throw new UsageError('name the import to remove (its id, as `imports` lists it)');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (!/^\d+$/.test(idText) || Number(idText) < 1)
    throw new UsageError(`the import id must be a whole number such as 3, got "${idText}"`);
  const db = openExisting(requiredOption(args, 'db'));
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await removeImport(db, Number(idText), ac.signal);
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(result)}\n`);
    else
      io.stdout.write(
        `Removed import #${result.importId}: ${result.records.toLocaleString('en')} records deleted\n`,
      );
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    db.close();
  }
}
