// STUB (owned by the query-engine work).
import type { ParsedArgs } from '../args';
import type { CliIo } from '../index';

const todo = (io: CliIo): Promise<number> => {
  io.stderr.write('not implemented yet\n');
  return Promise.resolve(2);
};
export const queryCommand = (_a: ParsedArgs, io: CliIo): Promise<number> => todo(io);
export const countCommand = (_a: ParsedArgs, io: CliIo): Promise<number> => todo(io);
export const facetsCommand = (_a: ParsedArgs, io: CliIo): Promise<number> => todo(io);
export const correlationCommand = (_a: ParsedArgs, io: CliIo): Promise<number> => todo(io);
export const lookupCommand = (_a: ParsedArgs, io: CliIo): Promise<number> => todo(io);
