// STUB (owned by the smtp/export work).
import type { ParsedArgs } from '../args';
import type { CliIo } from '../index';

export const exportCommand = (_a: ParsedArgs, io: CliIo): Promise<number> => {
  io.stderr.write('not implemented yet\n');
  return Promise.resolve(2);
};
export const explainCommand = exportCommand;
