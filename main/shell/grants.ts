/**
 * Paths the user chose through main (dialogs, drag-and-drop, the OS's open-file, argv). The
 * renderer may import or export only those: a page compromised by a crafted record could otherwise
 * ask main to overwrite any file with export content, or read any file into the grid.
 */
import path from 'node:path';

export type GrantKind = 'import' | 'export' | 'reveal';

/** Same file, same key: Windows and macOS file systems are case-insensitive by default. */
export function pathKey(p: string, platform: NodeJS.Platform = process.platform): string {
  const abs = path.resolve(p);
  return platform === 'win32' || platform === 'darwin' ? abs.toLowerCase() : abs;
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
    for (const p of paths) set.add(pathKey(p, this.platform));
  }

  has(kind: GrantKind, p: string): boolean {
    if (!path.isAbsolute(p)) return false;
    return this.granted.get(kind)?.has(pathKey(p, this.platform)) ?? false;
  }

  /** Every path must be granted; returns the first one that is not, or null. */
  firstUngranted(kind: GrantKind, paths: readonly string[]): string | null {
    for (const p of paths) if (!this.has(kind, p)) return p;
    return null;
  }
}
