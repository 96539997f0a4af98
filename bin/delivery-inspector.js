#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm run build:node` (run by `prepare` on install).
// bundle.js is the read commands in one file (scripts/build-cli.mjs: it halves their module loading);
// a bundle older than the compiled index.js (tsc run without the bundling step) is not used.
// The bundle is compiled with a V8 code cache kept in dist/main/cli/code-cache/ (code-cache.ts): one
// file per command, written after the first run of that command that ends with status 0.
const { existsSync, statSync } = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', 'dist', 'main', 'cli');

function entry() {
  try {
    const bundle = statSync(path.join(dir, 'bundle.js'));
    if (bundle.mtimeMs >= statSync(path.join(dir, 'index.js')).mtimeMs) return path.join(dir, 'bundle.js');
  } catch {
    // No bundle (or no build at all: then the require below says so).
  }
  return path.join(dir, 'index.js');
}

/** `--help` and the usage text compile little of the bundle: a cache written then would hold little. */
function asksHelp(argv) {
  return argv.length === 0 || argv.some((a) => a === '--help' || a === '-h' || a === 'help');
}

function load(argv) {
  const file = entry();
  const loader = path.join(dir, 'code-cache.js');
  if (!file.endsWith('bundle.js') || !existsSync(loader)) {
    const m = require(file);
    return { main: m.main, mayExitAtOnce: m.mayExitAtOnce, save() {} };
  }
  // DELIVERY_INSPECTOR_CODE_CACHE names another cache folder: the tests use a private one, since
  // other test files run the CLI at the same time and write into the shared one.
  const cacheDir = process.env.DELIVERY_INSPECTOR_CODE_CACHE || path.join(dir, 'code-cache');
  const loaded = require(loader).loadWithCodeCache(file, cacheDir, argv[0]);
  return {
    main: loaded.exports.main,
    mayExitAtOnce: loaded.exports.mayExitAtOnce,
    save: asksHelp(argv) ? () => {} : loaded.save,
  };
}

const argv = process.argv.slice(2);
const { main, mayExitAtOnce, save } = load(argv);
main(argv).then(
  (code) => {
    if (code === 0) save();
    process.exitCode = code;
    // A read command that has written all its output ends here: Node's teardown of the heap and the
    // environment (tens of ms at 5M rows) would follow for nothing (main/cli/index.ts mayExitAtOnce).
    if (code === 0 && typeof mayExitAtOnce === 'function' && mayExitAtOnce(argv[0])) process.exit(0);
  },
  (err) => {
    process.stderr.write(`delivery-inspector: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
