/**
 * Where an export really goes. The file is written beside the target and renamed over it, which
 * would swap a symlink, a FIFO or a device node for a regular file (and as root replace /dev/full
 * itself, so a full disk is never reported). So a symlink is followed to the file it names, and
 * anything that exists but is not a regular file is refused with a message that says so.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import { EngineError } from '../errors';
import { realPath } from '../real-path';

function kind(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The real path to write to (symlinks followed), or a clear refusal. `file` must be absolute. */
export function resolveExportTarget(file: string): string {
  if (lstatOrNull(file)?.isSymbolicLink()) {
    try {
      statSync(file);
    } catch {
      // A dangling link would be followed by the write to wherever it points; refuse instead.
      throw new EngineError(
        'EXPORT_FAILED',
        `${file} is a link that leads to no file (missing or a loop); choose another name.`,
        { path: file },
      );
    }
  }
  const target = realPath(file);
  const st = lstatOrNull(target);
  if (st !== null && !st.isFile())
    throw new EngineError(
      'EXPORT_FAILED',
      `Cannot export to ${file}: it is ${kind(st)}, and exports are written to regular files only.`,
      { path: file },
    );
  return target;
}
