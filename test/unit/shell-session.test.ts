import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { WorkspaceInfo } from '../../common/contract';
import { createIpcTable, type IpcTable } from '../../main/ipc/table';
import { PathGrants } from '../../main/shell/grants';
import { grantCheck } from '../../main/shell/guard';
import { WorkspaceSession, type Dialogs } from '../../main/shell/session';
import { defaultWorkspacePath } from '../../main/shell/workspaces';

let dir: string;
let session: WorkspaceSession;
let table: IpcTable;
const grants = new PathGrants();
const changes: WorkspaceInfo[] = [];
const revealed: string[] = [];
/** What the fake dialogs answer next; null = the user cancelled. */
const answers: {
  importFiles: string[];
  exportPath: string | null;
  newWorkspace: string | null;
  workspace: string | null;
} = {
  importFiles: [],
  exportPath: null,
  newWorkspace: null,
  workspace: null,
};
const suggested: string[] = [];

const dialogs: Dialogs = {
  pickImportFiles: () => Promise.resolve(answers.importFiles),
  pickExportPath: (name) => {
    suggested.push(name);
    return Promise.resolve(answers.exportPath);
  },
  pickNewWorkspace: () => Promise.resolve(answers.newWorkspace),
  pickWorkspace: () => Promise.resolve(answers.workspace),
  showItemInFolder: (p) => revealed.push(p),
};

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'di-shell-session-'));
  session = new WorkspaceSession({
    userData: dir,
    dialogs,
    grants,
    onChanged: (_h, info) => changes.push(info),
  });
  table = createIpcTable(() => session.host(), session.shellDeps(), grantCheck(grants));
});

after(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

test('first start opens the default workspace in user data and lists it as recent', async () => {
  const info = await session.start();
  assert.equal(info.path, defaultWorkspacePath(dir));
  assert.equal(info.records, 0);
  assert.ok(existsSync(defaultWorkspacePath(dir)));
  assert.deepEqual(await table['workspace:recent']({}), { ok: true, value: [defaultWorkspacePath(dir)] });
  assert.equal(changes.at(-1)?.path, info.path, 'the page is told');
});

test('New workspace: cancelled does nothing; chosen creates it (adding .sqlite) and switches to it', async () => {
  answers.newWorkspace = null;
  assert.deepEqual(await table['workspace:new']({}), { ok: true, value: null });
  answers.newWorkspace = path.join(dir, 'case-acme');
  const r = await table['workspace:new']({});
  assert.ok(r.ok && r.value);
  assert.equal(r.value.path, path.join(dir, 'case-acme.sqlite'));
  assert.equal(session.path, path.join(dir, 'case-acme.sqlite'));
  const info = await table['workspace:info']({});
  assert.ok(info.ok);
  assert.equal(
    info.value.path,
    path.join(dir, 'case-acme.sqlite'),
    'engine calls now reach the new workspace',
  );
});

test('Open workspace: via the dialog, or directly only from the recent list', async () => {
  answers.workspace = defaultWorkspacePath(dir);
  const r = await table['workspace:open']({});
  assert.ok(r.ok && r.value);
  assert.equal(session.path, defaultWorkspacePath(dir));

  const direct = await table['workspace:open']({ path: path.join(dir, 'case-acme.sqlite') });
  assert.ok(direct.ok, 'a recent workspace opens without a dialog');
  assert.equal(session.path, path.join(dir, 'case-acme.sqlite'));

  const stranger = path.join(dir, 'stranger.sqlite');
  const denied = await table['workspace:open']({ path: stranger });
  assert.ok(!denied.ok);
  assert.equal(denied.error.code, 'FORBIDDEN');
  assert.equal(existsSync(stranger), false, 'nothing was created');

  const notDb = path.join(dir, 'fake.sqlite');
  writeFileSync(notDb, 'hello');
  answers.workspace = notDb;
  const bad = await table['workspace:open']({});
  assert.ok(!bad.ok);
  assert.equal(bad.error.code, 'INVALID_ARGUMENT');
  assert.equal(session.path, path.join(dir, 'case-acme.sqlite'), 'the current workspace stays open');
});

test('data is deleted only after a native dialog: New workspace onto the open file, never a bare call', async () => {
  const db = session.path ?? '';
  assert.ok((await table['settings:set']({ key: 'grid.columnState', value: 'v' })).ok);
  assert.ok(existsSync(`${db}-wal`), 'WAL exists while open');
  // The renderer has no channel that deletes data (the review found `workspace:clear {confirm:true}`).
  assert.equal('workspace:clear' in table, false);
  assert.equal('workspace:clear' in session.shellDeps(), false);
  answers.newWorkspace = null;
  assert.deepEqual(await table['workspace:new']({}), { ok: true, value: null }, 'cancelled: nothing happens');
  assert.deepEqual(await table['settings:get']({ key: 'grid.columnState' }), { ok: true, value: 'v' });
  // The save dialog (which asked before replacing the file) chose the open workspace itself.
  answers.newWorkspace = db;
  const cleared = await table['workspace:new']({});
  assert.ok(cleared.ok && cleared.value);
  assert.equal(cleared.value.path, db);
  assert.deepEqual(
    await table['settings:get']({ key: 'grid.columnState' }),
    { ok: true, value: null },
    'the data is gone',
  );
});

test('import:start reads only files the user picked; export:start writes only where the user chose', async () => {
  const csv = path.join(dir, 'picked.csv');
  writeFileSync(csv, 'x');
  const sneaky = await table['import:start']({
    jobId: 'j1',
    paths: [path.join(dir, 'recent-workspaces.json')],
  });
  assert.ok(!sneaky.ok);
  assert.equal(sneaky.error.code, 'FORBIDDEN');

  answers.importFiles = [csv];
  assert.deepEqual(await table['import:pick']({}), { ok: true, value: [csv] });
  const mixed = await table['import:start']({ jobId: 'j2', paths: [csv, '/etc/passwd'] });
  assert.ok(!mixed.ok);
  assert.equal(mixed.error.code, 'FORBIDDEN');
  assert.equal(mixed.error.details?.path, '/etc/passwd');

  const target = path.join(dir, '.bashrc');
  const write = await table['export:start']({
    jobId: 'e1',
    path: target,
    filter: {},
    sort: [],
    delimiter: ',',
    bom: false,
    formulaGuard: true,
  });
  assert.ok(!write.ok);
  assert.equal(write.error.code, 'FORBIDDEN');
  assert.equal(existsSync(target), false);
  const lookupWrite = await table['lookup:export']({
    path: target,
    addresses: ['a@b.c'],
    delimiter: ',',
    bom: false,
    formulaGuard: true,
  });
  assert.ok(!lookupWrite.ok);
  assert.equal(lookupWrite.error.code, 'FORBIDDEN');
  assert.equal(existsSync(target), false);

  answers.exportPath = path.join(dir, 'out.csv');
  assert.deepEqual(await table['export:pick']({ suggestedName: '../../evil' }), {
    ok: true,
    value: answers.exportPath,
  });
  assert.equal(suggested.at(-1), '_.._evil.csv', 'the dialog gets a sanitised default name');
});

test('show in folder only for files the app handed out or manages', async () => {
  const out = path.join(dir, 'out.csv');
  assert.deepEqual(await table['shell:showInFolder']({ path: out }), { ok: true, value: true });
  assert.ok((await table['shell:showInFolder']({ path: session.path ?? '' })).ok);
  const denied = await table['shell:showInFolder']({ path: '/etc/shadow' });
  assert.ok(!denied.ok);
  assert.equal(denied.error.code, 'FORBIDDEN');
  assert.deepEqual(revealed, [out, session.path]);
});

test('a symlink plus `..` cannot reach a file that was never chosen; the engine gets the real path', async () => {
  const inDir = path.join(dir, 'in');
  const elsewhere = path.join(dir, 'elsewhere');
  mkdirSync(path.join(elsewhere, 'sub'), { recursive: true });
  mkdirSync(inDir, { recursive: true });
  const good = path.join(inDir, 'good.csv');
  writeFileSync(good, 'not read\n');
  writeFileSync(path.join(elsewhere, 'good.csv'), 'secret\n');
  symlinkSync(path.join(elsewhere, 'sub'), path.join(inDir, 'lnk'));
  answers.importFiles = [good];
  assert.ok((await table['import:pick']({})).ok);

  // Lexically in/lnk/../good.csv is in/good.csv; the OS opens elsewhere/good.csv.
  const sneaky = [inDir, 'lnk', '..', 'good.csv'].join(path.sep); // not path.join: it would drop the ..
  const denied = await table['import:start']({ jobId: 'sym1', paths: [sneaky] });
  assert.ok(!denied.ok);
  assert.equal(denied.error.code, 'FORBIDDEN');
  assert.equal(denied.error.details?.path, sneaky);

  // Another name for the chosen file is the chosen file: allowed, and imported under its real path.
  const alias = path.join(dir, 'alias.csv');
  symlinkSync(good, alias);
  const viaAlias = await table['import:start']({ jobId: 'sym2', paths: [alias] });
  assert.ok(viaAlias.ok, JSON.stringify(viaAlias));
  assert.equal(viaAlias.value.files[0]?.file, realpathSync.native(good));
});

test('grant checks run on the validated arguments, not on a second read of the raw message', async () => {
  const chosen = path.join(dir, 'chosen.csv');
  writeFileSync(chosen, 'x\n');
  answers.importFiles = [chosen];
  assert.ok((await table['import:pick']({})).ok);
  let reads = 0;
  // Not reachable over real IPC (structured clone copies plain data), but the check must not depend on it.
  const shifty = {
    jobId: 'shifty',
    get paths(): string[] {
      reads++;
      return reads === 1 ? [chosen] : ['/etc/passwd'];
    },
  };
  const first = await table['import:start'](shifty);
  assert.ok(first.ok, JSON.stringify(first));
  assert.deepEqual(
    first.value.files.map((f) => f.file),
    [realpathSync.native(chosen)],
  );
  reads = 1; // the next read answers /etc/passwd
  const second = await table['import:start'](shifty);
  assert.ok(!second.ok);
  assert.equal(second.error.code, 'FORBIDDEN');
});

test('export targets are checked as real paths: a symlink swapped in after the dialog is refused', async () => {
  const picked = path.join(dir, 'picked-out.csv');
  answers.exportPath = picked;
  assert.ok((await table['export:pick']({ suggestedName: 'x' })).ok);
  symlinkSync('/etc/hostname', picked);
  const write = await table['export:start']({
    jobId: 'e-sym',
    path: picked,
    filter: {},
    sort: [],
    delimiter: ',',
    bom: false,
  });
  assert.ok(!write.ok);
  assert.equal(write.error.code, 'FORBIDDEN');
});
