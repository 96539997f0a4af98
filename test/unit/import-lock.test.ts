import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeExport } from '../../bench/generate';
import type { ImportPhase } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { count, doneImports, importFiles, workspace } from './import-fixture';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'bin', 'delivery-inspector.js');

interface Proc {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function run(args: readonly string[]): Proc {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const p: Proc = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (d: Buffer) => (p.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (p.stderr += d.toString()));
  return p;
}

/** Resolves once `text` appears in the stream; fails the test after `ms` instead of hanging. */
async function waitFor(p: Proc, stream: 'stdout' | 'stderr', text: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!p[stream].includes(text)) {
    if (Date.now() > until) {
      p.child.kill('SIGKILL');
      assert.fail(`no "${text}" on ${stream} within ${ms} ms; stdout: ${p.stdout} stderr: ${p.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Another writer in its own process: holds the workspace's write lock until told to commit. */
function lockHolder(dir: string, dbPath: string): Proc {
  const script = path.join(dir, 'hold.js');
  writeFileSync(
    script,
    `const Database = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'better-sqlite3'))});
const db = new Database(process.argv[2]);
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO meta(key, value) VALUES ('held', '1')").run();
process.stdout.write('locked\\n');
process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); process.exit(0); });`,
  );
  return run([script, dbPath]);
}

test('a second import waits for the one holding the workspace, says so on stderr, then imports', async () => {
  const w = workspace();
  w.db.close();
  try {
    const csv = path.join(w.dir, 'a.csv');
    await writeExport(csv, { rows: 500 });
    const holder = lockHolder(w.dir, w.dbPath);
    await waitFor(holder, 'stdout', 'locked');
    const second = run([CLI, 'import', '--db', w.dbPath, csv, '--json']);
    await waitFor(second, 'stderr', 'waiting for another import');
    holder.child.stdin?.write('go\n');
    assert.equal(await holder.exited, 0, 'the first writer finished undisturbed');
    assert.equal(await second.exited, 0, second.stderr);
    const parsed = JSON.parse(second.stdout) as { files: { imported: number }[] };
    assert.equal(parsed.files[0]?.imported, 500);
    assert.doesNotMatch(second.stderr, /locked/);
    const db = openDatabase(w.dbPath, { readonly: true });
    assert.equal(count(db, 'records'), 500);
    assert.equal(
      (db.prepare("SELECT value FROM meta WHERE key = 'held'").get() as { value: string }).value,
      '1',
    );
    db.close();
  } finally {
    w.cleanup();
  }
});

test('Ctrl-C while waiting ends the second import at once; the first is not touched', async () => {
  const w = workspace();
  w.db.close();
  try {
    const csv = path.join(w.dir, 'a.csv');
    await writeExport(csv, { rows: 200 });
    const holder = lockHolder(w.dir, w.dbPath);
    await waitFor(holder, 'stdout', 'locked');
    const second = run([CLI, 'import', '--db', w.dbPath, csv, '--json']);
    await waitFor(second, 'stderr', 'waiting for another import');
    second.child.kill('SIGINT');
    assert.equal(await second.exited, 1);
    const parsed = JSON.parse(second.stdout) as { cancelled: boolean; files: { error: string }[] };
    assert.equal(parsed.cancelled, true);
    assert.match(parsed.files[0]?.error ?? '', /Cancelled/);
    holder.child.stdin?.write('go\n');
    assert.equal(await holder.exited, 0);
    const db = openDatabase(w.dbPath, { readonly: true });
    assert.equal(count(db, 'records'), 0);
    assert.equal(db.prepare("SELECT value FROM meta WHERE key = 'held'").pluck().get(), '1');
    db.close();
  } finally {
    w.cleanup();
  }
});

test('two CLI imports of one workspace started together both finish, each file stored once', async () => {
  const w = workspace();
  w.db.close();
  try {
    const a = path.join(w.dir, 'a.csv');
    const b = path.join(w.dir, 'b.csv');
    await writeExport(a, { rows: 8000, seed: 1 });
    await writeExport(b, { rows: 8000, seed: 2, startMs: Date.UTC(2026, 10, 1) });
    const first = run([CLI, 'import', '--db', w.dbPath, a, '--json']);
    const second = run([CLI, 'import', '--db', w.dbPath, b, '--json']);
    const [c1, c2] = await Promise.all([first.exited, second.exited]);
    assert.equal(c1, 0, first.stderr);
    assert.equal(c2, 0, second.stderr);
    for (const p of [first, second])
      assert.equal((JSON.parse(p.stdout) as { files: { imported: number }[] }).files[0]?.imported, 8000);
    const db = openDatabase(w.dbPath, { readonly: true });
    assert.equal(count(db, 'records'), 16_000);
    assert.equal(doneImports(db), 2);
    db.close();
  } finally {
    w.cleanup();
  }
});

test('in one process (the app), a second import on the same connection waits its turn', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    const b = path.join(w.dir, 'b.csv');
    await writeExport(a, { rows: 20_000, seed: 1 });
    await writeExport(b, { rows: 300, seed: 2, startMs: Date.UTC(2026, 10, 1) });
    const phases: ImportPhase[] = [];
    let second: ReturnType<typeof importFiles> | null = null;
    const first = importFiles(w.db, [a], {
      onProgress: (p) => {
        if (p.phase === 'rows' && second === null)
          second = importFiles(w.db, [b], { onProgress: (q) => phases.push(q.phase) });
      },
    });
    const r1 = await first;
    assert.ok(second, 'the second import started while the first ran');
    const r2 = await (second as ReturnType<typeof importFiles>);
    assert.equal(r1.files[0]?.imported, 20_000);
    assert.equal(r2.files[0]?.error, undefined);
    assert.equal(r2.files[0]?.imported, 300);
    assert.equal(phases[0], 'sniffing');
    assert.ok(phases.includes('waiting'), phases.join(','));
    assert.ok(phases.indexOf('rows') > phases.indexOf('waiting'));
    assert.equal(count(w.db, 'records'), 20_300);
  } finally {
    w.cleanup();
  }
});
