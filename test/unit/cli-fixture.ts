/** Runs the CLI's `main` in-process with collecting streams (not a TTY), as the CLI tests need it. */
import { Writable } from 'node:stream';
import { main } from '../../main/cli/index';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A writable stream that keeps what is written to it, as text. */
export function textSink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

export async function runCli(argv: readonly string[]): Promise<CliRun> {
  const out = textSink();
  const err = textSink();
  const code = await main(argv, { stdout: out.stream, stderr: err.stream });
  return { code, out: out.text(), err: err.text() };
}
