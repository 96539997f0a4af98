/**
 * `delivery-inspector <command>`: the engine from a terminal. Exit codes: 0 success,
 * 1 the command ran but a file failed whole (import) or nothing matched where that is an error,
 * 2 usage or argument errors.
 */
import { EngineError } from '../engine/errors';
import { parseArgs, UsageError, type ParsedArgs } from './args';
import { importCommand } from './commands/import';
import { exportCommand, explainCommand } from './commands/export';
import {
  countCommand,
  correlationCommand,
  facetsCommand,
  lookupCommand,
  queryCommand,
} from './commands/query';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
}

export type Command = (args: ParsedArgs, io: CliIo) => Promise<number>;

export const COMMANDS: Readonly<Record<string, { run: Command; usage: string }>> = {
  import: {
    run: importCommand,
    usage:
      'import --db <file.sqlite> <export.csv>... [--delimiter X] [--encoding X] [--time-zone Z] [--json]',
  },
  query: {
    run: queryCommand,
    usage: 'query --db F [--q "<search>"] [--sort <column>[:asc|desc]] [--limit N] [--json]',
  },
  count: { run: countCommand, usage: 'count --db F [--q "<search>"] [--json]' },
  facets: { run: facetsCommand, usage: 'facets --db F [--q "<search>"] [--top N] [--json]' },
  correlation: {
    run: correlationCommand,
    usage: 'correlation --db F <correlation-id> [--time-zone Z] [--json]',
  },
  lookup: { run: lookupCommand, usage: 'lookup --db F <address>... [--json]' },
  explain: { run: explainCommand, usage: 'explain "<smtp reply text>" [--json]' },
  export: {
    run: exportCommand,
    usage:
      'export --db F --out file.csv [--q "<search>"] [--sort col[:dir]] [--columns a,b] [--delimiter ;] [--bom] [--no-formula-guard] [--json]',
  },
};

export function usageText(): string {
  const lines = Object.values(COMMANDS).map((c) => `  delivery-inspector ${c.usage}`);
  return `Usage:\n${lines.join('\n')}\n`;
}

export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usageText());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`delivery-inspector: unknown command "${name}"\n${usageText()}`);
    return 2;
  }
  try {
    return await command.run(parseArgs(rest), io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(
        `delivery-inspector ${name}: ${err.message}\nUsage: delivery-inspector ${command.usage}\n`,
      );
      return 2;
    }
    if (err instanceof EngineError) {
      io.stderr.write(`delivery-inspector ${name}: ${err.message}\n`);
      return err.code === 'INVALID_ARGUMENT' || err.code === 'SEARCH_SYNTAX' ? 2 : 1;
    }
    throw err;
  }
}
