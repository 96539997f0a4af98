// Runs every compiled test file (unit, e2e, electron) in one node:test run, so the closing
// "# pass / # fail" lines cover the whole suite. Renderer typecheck and Electronegativity run first.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function collect(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

run('npx', ['tsc', '-p', 'tsconfig.renderer.json', '--noEmit']);
if (existsSync('scripts/electronegativity.mjs')) run('node', ['scripts/electronegativity.mjs']);

const filter = process.argv[2];
const files = collect('dist/test')
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/test (did the build run?)');
  process.exit(1);
}
run(process.execPath, ['--test', '--test-concurrency=2', ...files]);
