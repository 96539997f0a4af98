/**
 * Paths the user chose through main (dialogs, drag-and-drop, the OS's open-file, argv). The
 * renderer may import or export only those: a page compromised by a crafted record could otherwise
 * ask main to overwrite any file with export content, or read any file into the grid.
 *
 * Both sides are compared as real paths (symlinks and `..` resolved as the OS opens them), and the
 * caller hands the resolved path on, so what was checked is what gets opened.
 */
import path from 'node:path';
import { realPath } from '../engine/real-path';

export type GrantKind = 'import' | 'export' | 'reveal';

/** Same file, same key: Windows and macOS file systems are case-insensitive by default. */
export function pathKey(p: string, platform: NodeJS.Platform = process.platform): string {
  const abs = path.resolve(p);
  return platform === 'win32' || platform === 'darwin' ? abs.toLowerCase() : abs;
}

/** The real path, or null where even that cannot be worked out (e.g. a loop of symlinks). */
function tryRealPath(p: string): string | null {
  try {
    return realPath(p);
  } catch {
    return null;
  }
}

export class PathGrants {
  private readonly granted = new Map<GrantKind, Set<string>>();

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  grant(kind: GrantKind, paths: readonly string[]): void {
    let set = this.granted.get(kind);
    if (!set) {
      set = new Set();
      this.granted.set(kind, set);
    }
    for (const p of paths) {
      if (!path.isAbsolute(p)) continue;
      const real = tryRealPath(p);
      if (real !== null) set.add(pathKey(real, this.platform));
    }
  }

  /** The real path behind `p` if that is granted for `kind`, else null. */
  resolve(kind: GrantKind, p: string): string | null {
    if (!path.isAbsolute(p) || p.includes('\0')) return null;
    const real = tryRealPath(p);
    if (real === null) return null;
    return this.granted.get(kind)?.has(pathKey(real, this.platform)) ? real : null;
  }

  has(kind: GrantKind, p: string): boolean {
    return this.resolve(kind, p) !== null;
  }

  /** Every path must be granted; returns the first one that is not, or null. */
  firstUngranted(kind: GrantKind, paths: readonly string[]): string | null {
    for (const p of paths) if (!this.has(kind, p)) return p;
    return null;
  }
}
