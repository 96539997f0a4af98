/**
 * The path the operating system will really open: symlinks and `..` resolved the way the kernel does
 * (a `..` after a symlink leaves the symlink's target, not the link's folder). Lexical normalisation
 * (path.resolve) gets that wrong, which let `granted/lnk/../x.csv` pass a grant for `granted/x.csv`.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

function missing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Real path of `p` (absolute), or for a file that does not exist yet (an export target), the real path
 * of its deepest existing folder joined with the rest. Components that do not exist cannot be symlinks,
 * so the rest is safe to join lexically.
 */
export function realPath(p: string): string {
  try {
    return realpathSync.native(p);
  } catch (err) {
    if (!missing(err)) throw err;
    const parent = path.dirname(p);
    if (parent === p) return p;
    return path.join(realPath(parent), path.basename(p));
  }
}
