/**
 * Workspace files: a workspace ("case") is one SQLite file plus its WAL and shared-memory files.
 * The recent list is kept as JSON in the user-data folder. No electron here: main passes paths in.
 */
import {
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { EngineError } from '../engine/errors';
import { pathKey } from './grants';

export const WORKSPACE_EXT = '.sqlite';
export const MAX_RECENT = 10;
/** Suffixes SQLite may create beside the database file; deleting a workspace removes them all. */
export const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

export function defaultWorkspacePath(userData: string): string {
  return path.join(userData, 'workspaces', `default${WORKSPACE_EXT}`);
}

/** Adds the .sqlite extension a save dialog may have dropped. */
export function withWorkspaceExt(p: string): string {
  return p.toLowerCase().endsWith(WORKSPACE_EXT) ? p : `${p}${WORKSPACE_EXT}`;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * An existing file may be opened only if it is an SQLite database (or empty); anything else is
 * refused instead of being turned into one by the migration.
 */
export function assertOpenableWorkspace(p: string): void {
  if (!path.isAbsolute(p)) throw new EngineError('INVALID_ARGUMENT', `Workspace path must be absolute: ${p}`);
  if (!existsSync(p)) return;
  const info = statSync(p);
  if (!info.isFile()) throw new EngineError('INVALID_ARGUMENT', `Not a file: ${p}`);
  if (info.size === 0) return;
  const fd = openSync(p, 'r');
  try {
    const buf = Buffer.alloc(SQLITE_MAGIC.length);
    readSync(fd, buf, 0, buf.length, 0);
    if (buf.toString('latin1') !== SQLITE_MAGIC)
      throw new EngineError(
        'INVALID_ARGUMENT',
        `${path.basename(p)} is not a Delivery Inspector workspace (not an SQLite database file)`,
        { path: p },
      );
  } finally {
    closeSync(fd);
  }
}

/** Removes the database and its side files. Call only after every connection to it is closed. */
export function deleteWorkspaceFiles(dbPath: string): string[] {
  const removed: string[] = [];
  for (const f of [dbPath, ...SIDE_FILES.map((s) => `${dbPath}${s}`)]) {
    if (existsSync(f)) {
      rmSync(f, { force: true });
      removed.push(f);
    }
  }
  return removed;
}

/** Most-recent-first list of workspace paths, persisted after every change. */
export class RecentWorkspaces {
  private items: string[];

  constructor(
    private readonly file: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.items = RecentWorkspaces.read(file);
  }

  private static read(file: string): string[] {
    try {
      const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!Array.isArray(raw)) return [];
      return raw.filter((x): x is string => typeof x === 'string' && path.isAbsolute(x)).slice(0, MAX_RECENT);
    } catch {
      return [];
    }
  }

  /** Entries whose file still exists; deleted or moved workspaces drop out of the menu. */
  list(): readonly string[] {
    return this.items.filter((p) => existsSync(p));
  }

  has(p: string): boolean {
    const key = pathKey(p, this.platform);
    return this.items.some((x) => pathKey(x, this.platform) === key);
  }

  add(p: string): void {
    const key = pathKey(p, this.platform);
    this.items = [path.resolve(p), ...this.items.filter((x) => pathKey(x, this.platform) !== key)].slice(
      0,
      MAX_RECENT,
    );
    this.save();
  }

  remove(p: string): void {
    const key = pathKey(p, this.platform);
    this.items = this.items.filter((x) => pathKey(x, this.platform) !== key);
    this.save();
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.items, null, 2));
    renameSync(tmp, this.file);
  }
}
