/** Runs the CLI's `main` in-process with collecting streams (not a TTY), as the CLI tests need it. */
import { Writable } from 'node:stream';
import { main } from '../../main/cli/index';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(argv: readonly string[]): Promise<CliRun> {
  const text = { out: '', err: '' };
  const sink = (key: keyof typeof text): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        text[key] += chunk.toString();
        done();
      },
    });
  const code = await main(argv, { stdout: sink('out'), stderr: sink('err') });
  return { code, ...text };
}
