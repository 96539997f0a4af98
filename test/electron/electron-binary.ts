/**
 * Finds the Electron binary WITHOUT triggering a download: require('electron') itself downloads a
 * missing binary (node_modules/electron/index.js), which must not happen in a test run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Loaded lazily: both modules have side effects (a download, a native load) that must be conditional. */
const lazyRequire = createRequire(__filename);

export type BinaryLookup = { readonly path: string } | { readonly missing: string };

export function findElectronBinary(): BinaryLookup {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(lazyRequire.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!existsSync(pathFile) && !override)
    return {
      missing: `${path.relative(process.cwd(), pathFile)} is absent (npx install-electron downloads it)`,
    };
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const full = override ? path.join(override, rel) : path.join(pkgDir, 'dist', rel);
  if (!existsSync(full)) return { missing: `${full} does not exist` };
  // Safe now: with the binary present, require('electron') only returns its path.
  const resolved = lazyRequire('electron') as string;
  return existsSync(resolved) ? { path: resolved } : { missing: `${resolved} does not exist` };
}

/**
 * True when node_modules holds the Node build of better-sqlite3 (this process can load it), so the
 * Electron app could not open a database; `npm run test:electron` switches builds around the run.
 */
export function sqliteBuiltForNode(): boolean {
  try {
    const Database = lazyRequire('better-sqlite3') as new (file: string) => { close(): void };
    new Database(':memory:').close();
    return true;
  } catch {
    return false;
  }
}
