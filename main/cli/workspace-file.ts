/**
 * The --db argument checked before SQLite touches it: `import --db export.csv a.csv` (the CSV named
 * as the workspace by mistake) must fail clearly, exit 1, and leave that file as it was.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { EngineError } from '../engine/errors';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Throws unless `file` is missing (to be created), empty, or an SQLite database. */
export function assertWorkspaceFile(file: string): void {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile())
      throw new EngineError('NOT_FOUND', `--db ${file} is not a file; name the workspace (.sqlite) file.`);
    size = st.size;
  } catch (err) {
    if (err instanceof EngineError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new EngineError('NOT_FOUND', `cannot read workspace ${file}: ${(err as Error).message}`);
  }
  if (size === 0) return;
  const buf = Buffer.alloc(SQLITE_MAGIC.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString('latin1') !== SQLITE_MAGIC)
    throw new EngineError(
      'NOT_FOUND',
      `${file} is not a Delivery Inspector workspace (not an SQLite database). --db names the workspace ` +
        'file (e.g. case.sqlite); the CSV files to import come after the options.',
      { path: file },
    );
}
