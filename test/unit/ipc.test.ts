import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CHANNELS, SHELL_CHANNELS, type Envelope } from '../../common/contract';
import { SETTING_LIMITS } from '../../common/settings';
import { EngineHost } from '../../main/engine/worker/host';
import { createIpcTable, type IpcTable, type ShellDeps } from '../../main/ipc/table';
import { validators } from '../../main/ipc/validate';

let dir: string;
let host: EngineHost;
let table: IpcTable;
const shellCalls: string[] = [];

const shell: ShellDeps = {
  'workspace:new': () => Promise.resolve(null),
  'workspace:open': () => Promise.resolve(null),
  'workspace:recent': () => Promise.resolve(['/tmp/a.sqlite']),
  'import:pick': () => Promise.resolve(['/tmp/x.csv']),
  'export:pick': ({ suggestedName }) => {
    shellCalls.push(suggestedName);
    return Promise.resolve(`/tmp/${suggestedName}`);
  },
  'shell:showInFolder': () => Promise.resolve(true as const),
  'report:save': () => Promise.resolve(null),
};

function errorOf<T>(env: Envelope<T>): { code: string; message: string } {
  assert.equal(env.ok, false, 'expected an error envelope');
  return env.error;
}

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'di-ipc-'));
  host = EngineHost.open(path.join(dir, 'w.sqlite'));
  table = createIpcTable(() => host, shell);
});

after(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the table and the validators cover exactly the contract channels', () => {
  assert.deepEqual(Object.keys(table).sort(), [...CHANNELS].sort());
  assert.deepEqual(Object.keys(validators).sort(), [...CHANNELS].sort());
});

test('engine channels reach the worker over the real database', async () => {
  const info = await table['workspace:info']({});
  assert.ok(info.ok);
  assert.equal(info.value.records, 0);
  assert.equal(info.value.path, path.join(dir, 'w.sqlite'));
  assert.ok((await table['settings:set']({ key: 'grid.columnState', value: '[1,2]' })).ok);
  const got = await table['settings:get']({ key: 'grid.columnState' });
  assert.deepEqual(got, { ok: true, value: '[1,2]' });
});

test('shell channels go to the shell dependencies, after validation', async () => {
  assert.deepEqual(await table['export:pick']({ suggestedName: 'rows.csv' }), {
    ok: true,
    value: '/tmp/rows.csv',
  });
  assert.deepEqual(shellCalls, ['rows.csv']);
  assert.equal(errorOf(await table['export:pick']({ suggestedName: 42 })).code, 'INVALID_ARGUMENT');
  assert.equal(shellCalls.length, 1, 'an invalid call must not reach the shell');
  for (const ch of SHELL_CHANNELS) assert.ok(ch in table);
});

test('malformed arguments get typed errors, never a crash', async () => {
  const cases: [keyof IpcTable, unknown, RegExp][] = [
    ['rows:page', null, /args: expected an object/],
    ['rows:page', { filter: {}, sort: [], startRow: 0, endRow: 5000 }, /at most 1000 rows/],
    [
      'rows:page',
      { filter: {}, sort: [{ column: 'id; DROP TABLE records', dir: 'asc' }], startRow: 0, endRow: 10 },
      /unknown column/,
    ],
    [
      'rows:page',
      { filter: {}, sort: [{ column: 'status', dir: 'sideways' }], startRow: 0, endRow: 10 },
      /must be one of "asc", "desc"/,
    ],
    [
      'rows:count',
      { filter: { conditions: [{ type: 'text', column: 'status) OR 1=1 --', op: 'equals', value: 'x' }] } },
      /unknown column/,
    ],
    ['rows:count', { filter: { q: 'x'.repeat(5000) } }, /longer than 2000/],
    ['rows:count', { filter: { evil: 1 } }, /unexpected property/],
    ['import:start', { jobId: '../../x', paths: ['/tmp/a.csv'] }, /letters, digits/],
    ['import:start', { jobId: 'j1', paths: [] }, /at least one file/],
    ['import:start', { jobId: 'j1', paths: ['/tmp/a\0.csv'] }, /NUL/],
    [
      'import:start',
      { jobId: 'j1', paths: ['/tmp/a.csv'], force: 'yes' },
      /args.force: expected true or false/,
    ],
    [
      'export:start',
      {
        jobId: 'j',
        path: '/tmp/o.csv',
        filter: {},
        sort: [],
        delimiter: '\t',
        bom: false,
        formulaGuard: true,
      },
      /one of ",", ";"/,
    ],
    [
      'lookup:export',
      { path: '/tmp/l.csv', addresses: ['a@b.c'], delimiter: ',', bom: false, formulaGuard: false },
      /always guarded/,
    ],
    ['settings:set', { key: 'anything', value: 'x' }, /unknown setting/],
    ['settings:get', { key: '__proto__' }, /unknown setting/],
    ['settings:set', { key: 'grid.columnState', value: 'x'.repeat(20_001) }, /longer than 20000/],
    ['lookup:batch', { addresses: 'a@b.c' }, /expected an array/],
  ];
  for (const [channel, raw, message] of cases) {
    const env = await (table[channel] as (r: unknown) => Promise<Envelope<unknown>>)(raw);
    const err = errorOf(env);
    assert.equal(err.code, 'INVALID_ARGUMENT', `${channel} ${JSON.stringify(raw)}`);
    assert.match(err.message, message);
  }
  // The database is intact after all of that.
  const info = await table['workspace:info']({});
  assert.ok(info.ok);
});

test('a crashed worker is restarted, listeners are told, and later calls succeed', async () => {
  const restarted = new Promise<string>((resolve) => {
    const off = host.on('engine:restarted', ({ reason }) => {
      off();
      resolve(reason);
    });
  });
  await host.killWorker('reader');
  assert.match(await restarted, /reader/);
  const info = await table['workspace:info']({});
  assert.ok(info.ok, 'the reader answers again after its restart');
});

test('no channel deletes the workspace: workspace:clear is gone from the contract and the table', async () => {
  assert.equal((CHANNELS as readonly string[]).includes('workspace:clear'), false);
  assert.equal('workspace:clear' in table, false);
  assert.equal('workspace:clear' in validators, false);
  const info = await table['workspace:info']({});
  assert.ok(info.ok);
});

test('settings take only known keys, each within its size limit, so a page cannot bloat the workspace', async () => {
  const file = path.join(dir, 'w.sqlite');
  const sizeOf = (): number =>
    ['', '-wal'].reduce((s, ext) => s + (existsSync(file + ext) ? statSync(file + ext).size : 0), 0);
  const before = sizeOf();
  // The attack the review measured: 100 keys of 100 KB each grew a workspace from 0.9 MB to 15 MB.
  const big = 'x'.repeat(100_000);
  for (let i = 0; i < 100; i++) {
    const env = await table['settings:set']({ key: `k${i}`, value: big });
    assert.equal(errorOf(env).code, 'INVALID_ARGUMENT');
  }
  for (const [key, max] of Object.entries(SETTING_LIMITS)) {
    assert.equal(
      errorOf(await table['settings:set']({ key, value: 'y'.repeat(max + 1) })).code,
      'INVALID_ARGUMENT',
    );
    assert.ok((await table['settings:set']({ key, value: 'y'.repeat(max) })).ok, `${key} at its limit`);
  }
  const limitSum = Object.values(SETTING_LIMITS).reduce((a, b) => a + b, 0);
  assert.ok(sizeOf() - before < limitSum + 200_000, `grew by ${sizeOf() - before} bytes`);
});
