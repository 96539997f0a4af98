/**
 * Files handed to the app from outside: command-line arguments, the OS's open-file event,
 * drag-and-drop. Everything arriving here is a user's choice, but still only existing regular
 * files are accepted, and each is routed by extension: workspaces are opened, exports imported.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { LIMITS } from '../../common/contract';
import { WORKSPACE_EXT } from './workspaces';

export const IMPORT_EXTENSIONS = ['.csv', '.txt', '.tsv', '.xlsx'] as const;

export interface OpenedFiles {
  readonly imports: readonly string[];
  readonly workspaces: readonly string[];
}

function isRegularFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Sorts candidate paths into CSV exports to import and workspaces to open; drops the rest. */
export function classifyFiles(paths: readonly string[], cwd: string): OpenedFiles {
  const imports: string[] = [];
  const workspaces: string[] = [];
  for (const raw of paths) {
    if (
      typeof raw !== 'string' ||
      raw.length === 0 ||
      raw.length > LIMITS.maxPathLength ||
      raw.includes('\0')
    )
      continue;
    const p = path.resolve(cwd, raw);
    if (!isRegularFile(p)) continue;
    const ext = path.extname(p).toLowerCase();
    if (ext === WORKSPACE_EXT) workspaces.push(p);
    else if ((IMPORT_EXTENSIONS as readonly string[]).includes(ext)) imports.push(p);
  }
  return { imports: imports.slice(0, LIMITS.maxImportFiles), workspaces };
}

/**
 * The file arguments of a launch (or of a second launch, forwarded by the single-instance lock).
 * Unpackaged, argv is [electron, appDir, ...files]; packaged, [exe, ...files]. Switches (-x, --y)
 * are Chromium's or Electron's, never files.
 */
export function fileArgs(argv: readonly string[], isDefaultApp: boolean): string[] {
  const rest = argv.slice(isDefaultApp ? 2 : 1);
  return rest.filter((a) => !a.startsWith('-'));
}

/** Characters Windows rejects in file names, plus control characters. */
const UNSAFE_CHARS = new Set(['<', '>', ':', '"', '/', '\\', '|', '?', '*']);

function safeChar(c: string): string {
  return UNSAFE_CHARS.has(c) || c.charCodeAt(0) < 0x20 ? '_' : c;
}

/**
 * A default name for the save dialog from the renderer's suggestion, which may contain record
 * data: no folders, no characters Windows rejects, bounded length, always .csv (or .xlsx when asked).
 */
export function safeExportName(suggested: string): string {
  const base = Array.from(suggested, safeChar)
    .join('')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 120);
  const name = base.length === 0 ? 'export' : base;
  return /\.(csv|xlsx)$/i.test(name) ? name : `${name}.csv`;
}
