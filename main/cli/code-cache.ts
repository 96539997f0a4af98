/**
 * Runs the CLI's bundle (dist/main/cli/bundle.js) through vm.Script with a V8 code cache kept in a
 * directory beside it, so a command does not parse and compile the same 420 kB of JavaScript again on
 * every start (bin/delivery-inspector.js).
 *
 * Why (issue 12, 14d): V8 compiles the bundle's top level when it is required and each function the
 * first time it runs; from the cache it deserialises the bytecode instead. Measured at 1M rows, CPU
 * time of the whole process (user + system), alternating with and without the cache under load:
 * see README "CLI end to end" (issue 12, fourteenth session, 14d).
 *
 * Correctness: V8 accepts a code cache for a source of the same length (it does not compare the text),
 * so the file name carries the bundle's size and modification time (cacheKey), the Node version and
 * architecture: a bundle rebuilt, or another Node, looks for another file and never reads a stale one. A
 * cache V8 refuses (another V8 build or flags, a damaged file) is left unused and written again. Each
 * command keeps its own file, holding the functions that command compiled on the run that wrote it
 * (a cache made by `count` would not hold what `query` runs). Writes are to a temporary file renamed
 * into place, so a concurrent run reads a whole file or none; a directory that cannot be written (a
 * read-only install) leaves every run without a cache, as before.
 */
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** What happened to the cache on this load: read and accepted, absent, or refused by V8. */
export type CodeCacheState = 'used' | 'missing' | 'rejected';

export interface CachedLoad {
  readonly exports: Record<string, unknown>;
  readonly state: CodeCacheState;
  /** The cache file this load read or would write. */
  readonly cacheFile: string;
  /**
   * Writes the cache unless it was used: call it once the command has run, so that the functions it
   * compiled are in it. Never throws (a cache is only a speed-up).
   */
  save(): void;
}

/** The cache file's tag: a command name as typed, or one shared name for anything else. */
export function cacheTag(command: string | undefined): string {
  return command !== undefined && /^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other';
}

/**
 * The bundle's size and modification time (ns) with the Node version and architecture. Not a hash
 * of the text: loading node:crypto and hashing cost 6-12 ms CPU a start, more than the cache saved.
 * Every build writes the bundle anew (a new mtime), so a cache is only read for the file it was
 * made from.
 */
function cacheKey(fd: number): string {
  const st = fstatSync(fd, { bigint: true });
  return `${process.version}_${process.arch}_${st.size.toString(36)}_${st.mtimeNs.toString(36)}`;
}

/** The text and its key, or no key if the file changed while it was read (a build running). */
function readKeyed(file: string): { source: string; key: string | null } {
  const fd = openSync(file, 'r');
  try {
    const key = cacheKey(fd);
    const source = readFileSync(fd, 'utf8');
    return { source, key: cacheKey(fd) === key ? key : null };
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads `file` (a CommonJS module that uses neither __dirname nor __filename to find files) as
 * require would, but compiled with the code cache for `tag` from `cacheDir`. The module is put in
 * require.cache under its path, as require would.
 */
export function loadWithCodeCache(file: string, cacheDir: string, tag: string): CachedLoad {
  const { source, key } = readKeyed(file);
  const base = path.basename(file, '.js');
  const cacheFile = path.join(cacheDir, `${base}.${cacheTag(tag)}.${key ?? 'changing'}.v8`);
  let cachedData: Buffer | undefined;
  try {
    if (key === null) throw new Error('the file changed while it was read');
    cachedData = readFileSync(cacheFile);
    // Node passes no cache for an empty buffer, and then reports nothing rejected.
    if (cachedData.length === 0) cachedData = undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const state: CodeCacheState =
    cachedData === undefined ? 'missing' : script.cachedDataRejected === true ? 'rejected' : 'used';
  const mod = new Module(file);
  mod.filename = file;
  const moduleRequire = Module.createRequire(file);
  require.cache[file] = mod;
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  try {
    wrapper.call(mod.exports, mod.exports, moduleRequire, mod, file, path.dirname(file));
  } catch (err) {
    // As require does: a module that failed to load is not left in the cache half made.
    delete require.cache[file];
    throw err;
  }
  mod.loaded = true;
  return {
    exports: mod.exports as Record<string, unknown>,
    state,
    cacheFile,
    save: () => {
      if (state !== 'used' && key !== null) writeCache(script, cacheDir, cacheFile, `${base}.`, `.${key}.v8`);
    },
  };
}

function writeCache(
  script: Script,
  cacheDir: string,
  cacheFile: string,
  prefix: string,
  suffix: string,
): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    accessSync(cacheDir, constants.W_OK);
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
    // Files of an earlier bundle or Node (another key) are never read again.
    for (const name of readdirSync(cacheDir))
      if (name.startsWith(prefix) && name.endsWith('.v8') && !name.endsWith(suffix))
        unlinkSync(path.join(cacheDir, name));
  } catch {
    // A directory that cannot be written: the next run compiles as this one did.
  }
}
