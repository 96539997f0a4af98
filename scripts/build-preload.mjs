// Bundles preload/index.ts into one CommonJS file: a sandboxed preload can require only 'electron'
// (and a few builtins), so the contract module must be inlined. Fails if anything else is required.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const outfile = 'dist/preload/bundle.js';
await build({
  entryPoints: ['preload/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  external: ['electron'],
  sourcemap: false,
  logLevel: 'warning',
});

const code = readFileSync(outfile, 'utf8');
const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const foreign = required.filter((r) => r !== 'electron');
if (foreign.length > 0) {
  console.error(`${outfile} requires ${foreign.join(', ')}; a sandboxed preload may require only 'electron'`);
  process.exit(1);
}
console.log(
  `preload bundled: ${outfile} (${code.length} bytes, requires: ${[...new Set(required)].join(', ')})`,
);
