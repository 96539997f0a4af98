// Bundles the CLI's read commands (count, facets, query, correlation, lookup: main/cli/index.js and
// what it reaches but the commands below) into one file, dist/main/cli/bundle.js, which
// bin/delivery-inspector.js loads. Why: `query --limit 100` on a small workspace spent more time
// loading its ~120 modules one by one (path resolution, package.json lookups, a compile per file) than
// answering; one file halves that (README, issue 12, 12w).
//
// Left as separate files, required from dist/ as before:
// - the commands that write or read files (import, imports, export, insights, report): they start
//   worker threads by paths beside their own module and pull in the importer and the Excel code;
// - the modules whose classes or state the bundle shares with them (args: UsageError, output:
//   OutputClosed and the watched streams, engine/errors: EngineError), so `instanceof` in main() still
//   recognises an error thrown by a command loaded from dist/;
// - every package in node_modules but better-sqlite3's JavaScript (below; its addon is native) and
//   fastest-levenshtein (below).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const cliDir = path.resolve('dist/main/cli');
const outfile = path.join(cliDir, 'bundle.js');
const SEPARATE_COMMANDS = ['import', 'imports', 'export', 'insights', 'report'].map((c) =>
  path.join(cliDir, 'commands', `${c}.js`),
);
const SHARED = [
  path.join(cliDir, 'args.js'),
  path.join(cliDir, 'output.js'),
  path.resolve('dist/main/engine/errors.js'),
];
const separate = new Set([...SEPARATE_COMMANDS, ...SHARED]);

/** A relative require of one of the separate files becomes a require relative to the bundle. */
const keepSeparate = {
  name: 'keep-separate',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      const withJs = file.endsWith('.js') ? file : `${file}.js`;
      if (!separate.has(withJs)) return undefined;
      const rel = path.relative(cliDir, withJs).split(path.sep).join('/');
      return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
    });
  },
};

/**
 * better-sqlite3's JavaScript (lib/: 12 files) is bundled too, and its addon required by its path in
 * the package rather than found by `bindings`. Why (issue 12, 16c): loading those files one by one
 * (resolution, a compile each, no code cache) and `bindings`' search (a stack trace for the caller's
 * root, then a failed require per candidate folder before build/Release) cost 20-30 ms of CPU a
 * command, measured in fresh processes (README "(issue 12, sixteenth session, 16c)"). An addon
 * elsewhere (another build type, a prebuilt layout) is still found by `bindings`, rooted at the
 * package; build/Release is tried first (`bindings` tried build/ and build/Debug before it).
 */
const require = createRequire(import.meta.url);
const sqliteLib = path.dirname(require.resolve('better-sqlite3'));
const ADDON_CALL = "require('bindings')('better_sqlite3.node')";
const ADDON_LOAD = `(function () {
  try {
    return require('better-sqlite3/build/Release/better_sqlite3.node');
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
  }
  const root = require('path').dirname(require.resolve('better-sqlite3/package.json'));
  return require('bindings')({ bindings: 'better_sqlite3.node', module_root: root });
})()`;
const bundleSqlite = {
  name: 'bundle-better-sqlite3',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: path.join(sqliteLib, 'index.js') }));
    b.onLoad({ filter: /[\\/]better-sqlite3[\\/]lib[\\/]database\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(ADDON_CALL))
        throw new Error(`${args.path}: ${ADDON_CALL} not found (better-sqlite3 changed?)`);
      return { contents: text.replace(ADDON_CALL, ADDON_LOAD), loader: 'js' };
    });
  },
};

/**
 * fastest-levenshtein (one file of its own, no dependencies) is bundled too: every read command
 * reaches it (the insights' address table, through the engine's query modules), and its load from
 * node_modules (a lookup per folder up to the package, its package.json, a compile outside the code
 * cache) cost 1.3-1.7 ms of wall and 3.7-4.3 ms of CPU in a fresh process (issue 12, 19e).
 */
const bundleLevenshtein = {
  name: 'bundle-fastest-levenshtein',
  setup(b) {
    b.onResolve({ filter: /^fastest-levenshtein$/ }, () => ({
      path: require.resolve('fastest-levenshtein'),
    }));
  },
};

await build({
  entryPoints: [path.join(cliDir, 'index.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  packages: 'external',
  plugins: [keepSeparate, bundleSqlite, bundleLevenshtein],
  sourcemap: false,
  logLevel: 'warning',
});

// A module that finds files beside itself (a worker script) would look in dist/main/cli instead.
const code = readFileSync(outfile, 'utf8');
const relative = [...code.matchAll(/\brequire\(\s*["'](\.[^"']+)["']\s*\)/g)].map((m) => m[1]);
const unexpected = relative.filter((r) => !separate.has(path.resolve(cliDir, r)));
if (unexpected.length > 0 || /\b__dirname\b|\b__filename\b/.test(code)) {
  console.error(
    `${outfile}: unexpected relative requires (${unexpected.join(', ')}) or __dirname/__filename in the bundle`,
  );
  process.exit(1);
}
console.log(
  `cli bundled: ${path.relative('.', outfile)} (${code.length} bytes; separate: ${[...new Set(relative)].join(', ')})`,
);
