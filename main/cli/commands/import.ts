// STUB (owned by the import-engine work).
import type { ParsedArgs } from '../args';
import type { CliIo } from '../index';

export function importCommand(_args: ParsedArgs, io: CliIo): Promise<number> {
  io.stderr.write('import: not implemented yet\n');
  return Promise.resolve(2);
}
