#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm run build:node` (run by `prepare` on install).
// bundle.js is the read commands in one file (scripts/build-cli.mjs: it halves their module loading);
// a bundle older than the compiled index.js (tsc run without the bundling step) is not used.
const { statSync } = require('node:fs');
const path = require('node:path');

function entry() {
  const dir = path.join(__dirname, '..', 'dist', 'main', 'cli');
  try {
    const bundle = statSync(path.join(dir, 'bundle.js'));
    if (bundle.mtimeMs >= statSync(path.join(dir, 'index.js')).mtimeMs) return path.join(dir, 'bundle.js');
  } catch {
    // No bundle (or no build at all: then the require below says so).
  }
  return path.join(dir, 'index.js');
}

const { main } = require(entry());
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`delivery-inspector: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
