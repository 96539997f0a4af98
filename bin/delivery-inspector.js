#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm run build:node` (run by `prepare` on install).
const { main } = require('../dist/main/cli/index.js');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`delivery-inspector: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
