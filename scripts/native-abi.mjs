// better-sqlite3 is a native module: one build loads in Node (tests, CLI, bench), another in
// Electron (the app). Both builds are kept side by side in node_modules/.cache and the right one is
// copied into place, so switching is instant and offline after the first Electron rebuild.
//
//   node scripts/native-abi.mjs node                    Node build in place (the `pretest` guard)
//   node scripts/native-abi.mjs electron                Electron build in place
//   node scripts/native-abi.mjs with-electron <cmd...>  Electron build for the command, then back to Node
//
// `npm start` and `npm run test:electron` use with-electron, so `npm test` keeps working after them.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const moduleDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const binary = path.join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const cacheDir = path.join('node_modules', '.cache', 'delivery-inspector-native');
const tag = `${process.platform}-${process.arch}`;
const nodeCopy = path.join(cacheDir, `better_sqlite3-node-abi${process.versions.modules}-${tag}.node`);
const electronCopy = path.join(cacheDir, `better_sqlite3-electron-${electronVersion}-${tag}.node`);
const shell = process.platform === 'win32';

function say(msg) {
  console.log(`native-abi: ${msg}`);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell });
  return r.status ?? 1;
}

/** Checked in a child process: a loaded .node file cannot be replaced on Windows. */
function loadsInNode() {
  const probe = "const D = require('better-sqlite3'); new D(':memory:').close();";
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;
}

function keep(copy) {
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(binary, copy);
}

function ensureNode() {
  if (loadsInNode()) {
    if (!existsSync(nodeCopy)) keep(nodeCopy);
    return;
  }
  if (existsSync(nodeCopy)) {
    copyFileSync(nodeCopy, binary);
    if (loadsInNode()) return say('restored the Node build of better-sqlite3');
  }
  say('rebuilding better-sqlite3 for Node (needs the npm registry or a compiler)');
  if (run('npm', ['rebuild', 'better-sqlite3']) !== 0 || !loadsInNode()) {
    console.error('native-abi: better-sqlite3 still does not load in Node; run `npm rebuild better-sqlite3`');
    process.exit(1);
  }
  keep(nodeCopy);
}

function ensureElectron() {
  if (existsSync(electronCopy)) {
    if (loadsInNode() && !existsSync(nodeCopy)) keep(nodeCopy);
    copyFileSync(electronCopy, binary);
    return;
  }
  ensureNode(); // keep the Node build before the rebuild replaces it
  say(`rebuilding better-sqlite3 for Electron ${electronVersion} (first time only; needs internet)`);
  if (run('npx', ['electron-builder', 'install-app-deps']) !== 0 || loadsInNode()) {
    console.error('native-abi: the Electron rebuild failed; node_modules keeps the Node build');
    ensureNode();
    process.exit(1);
  }
  keep(electronCopy);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'node') ensureNode();
else if (mode === 'electron') ensureElectron();
else if (mode === 'with-electron' && rest.length > 0) {
  ensureElectron();
  let code;
  try {
    // Ctrl+C reaches the child too; this process waits for it and then switches back.
    process.on('SIGINT', () => undefined);
    code = run(rest[0], rest.slice(1));
  } finally {
    ensureNode();
  }
  process.exit(code);
} else {
  console.error('usage: node scripts/native-abi.mjs node | electron | with-electron <command...>');
  process.exit(2);
}
