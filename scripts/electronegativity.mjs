// Runs Electronegativity over main/, preload/ and renderer/ and fails on any finding of MEDIUM
// severity or above. Its exit code says nothing about findings, so this uses the structured result
// of its runner instead. Offline and fast: the two places where it goes online (translations and
// the Electron release list of AVAILABLE_SECURITY_FIXES) are cut off by a stubbed HTTP client, and
// that check is skipped: it needs the internet, and `npm outdated electron` answers the same question.
// A finding reviewed as a false positive is silenced where it occurs, with the tool's own
// `// eng-disable CHECK_ID` comment and a reason beside it.
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');
const fromRunner = createRequire(runnerPath);

const offline = () => Promise.reject(new Error('offline: network disabled by scripts/electronegativity.mjs'));
offline.head = offline;
offline.get = offline;
const gotPath = fromRunner.resolve('got');
require.cache[gotPath] = {
  id: gotPath,
  filename: gotPath,
  loaded: true,
  exports: offline,
  children: [],
  paths: [],
};

const run = fromRunner(runnerPath);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const SKIPPED = ['AvailableSecurityFixesGlobalCheck'];
const MEDIUM = 2;

// The runner narrates through console.log and winston; keep our summary readable.
const quiet =
  (fn) =>
  async (...args) => {
    const log = console.log;
    console.log = () => undefined;
    try {
      return await fn(...args);
    } finally {
      console.log = log;
    }
  };

// One scan over all three folders, so global checks (CSP, navigation limits, permission handler)
// see the whole app: a copy in a temp folder without build output or dependencies.
const inputs = ['main', 'preload', 'renderer'].filter((d) => existsSync(d));
const scanRoot = mkdtempSync(path.join(os.tmpdir(), 'di-electronegativity-'));
const skipDir = (src) => !/(^|[\\/])(node_modules|dist)([\\/]|$)/.test(src);
for (const d of inputs) cpSync(d, path.join(scanRoot, d), { recursive: true, filter: skipDir });
let result;
try {
  result = await quiet(run)(
    {
      input: scanRoot,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: SKIPPED,
      parserPlugins: [],
    },
    false,
  );
} finally {
  rmSync(scanRoot, { recursive: true, force: true });
}
const checks = result.globalChecks + result.atomicChecks;
const findings = result.issues;
const parseErrors = result.errors.filter((e) => !e.tolerable);

const serious = findings.filter((f) => f.severity.value >= MEDIUM);
const minor = findings.length - serious.length;
console.log(
  `electronegativity: ${checks} checks over ${inputs.join(', ')} (Electron ${electronVersion}); ` +
    `${serious.length} finding(s) at MEDIUM or above, ${minor} below`,
);
for (const f of serious)
  console.log(
    `  ${f.severity.name} ${f.confidence.name} ${f.id} ${f.file}:${f.location.line}:${f.location.column}` +
      `${f.manualReview ? ' (review required)' : ''}\n    ${f.description}`,
  );
for (const f of findings.filter((x) => x.severity.value < MEDIUM))
  console.log(`  (below MEDIUM) ${f.severity.name} ${f.id} ${f.file}:${f.location.line}: ${f.description}`);
for (const e of parseErrors)
  console.log(`  could not parse ${path.relative(scanRoot, e.file)}: ${e.message}`);
if (serious.length > 0 || parseErrors.length > 0) {
  console.log('electronegativity: FAILED');
  process.exit(1);
}
console.log('electronegativity: OK');
