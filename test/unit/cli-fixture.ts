/** Runs the CLI's `main` in-process with collecting streams (not a TTY), as the CLI tests need it. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fillRecords } from '../../bench/query-data';
import { main } from '../../main/cli/index';
import { openDatabase } from '../../main/engine/db/open';

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

/**
 * A new temporary folder holding `w.sqlite` with `rows` generated records (seeded), checkpointed and
 * closed: for tests that spawn the CLI on a workspace. The caller removes `dir`.
 */
export function filledWorkspace(prefix: string, rows: number, seed: number): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'w.sqlite');
  const db = openDatabase(file);
  fillRecords(db, { rows, seed });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { dir, file };
}
