import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import vm from 'node:vm';
import { CHANNELS } from '../../common/contract';

/**
 * The built preload (dist/preload/bundle.js) run the way a sandboxed preload runs: a fresh global,
 * and a require that knows only 'electron'. Checks the artifact, not just its sources.
 */
const bundle = path.resolve(__dirname, '../../preload/bundle.js');

type Listener = (event: unknown) => void;

function load() {
  assert.ok(existsSync(bundle), 'dist/preload/bundle.js is built by npm run build:preload');
  const exposed = new Map<string, unknown>();
  const sentToMain: Array<[string, unknown]> = [];
  const invoked: Array<[string, unknown]> = [];
  const domListeners = new Map<string, Listener>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      invoke: (channel: string, args: unknown) => {
        invoked.push([channel, args]);
        return Promise.resolve({ ok: true, value: null });
      },
      on: () => undefined,
      send: (channel: string, payload: unknown) => sentToMain.push([channel, payload]),
    },
    webUtils: { getPathForFile: (f: { diskPath?: string }) => f.diskPath ?? '' },
  };
  const sandbox = {
    require: (name: string) => {
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
    module: { exports: {} },
    exports: {},
    console,
    addEventListener: (type: string, listener: Listener, capture: boolean) => {
      assert.equal(capture, true, `${type} listens in the capture phase`);
      domListeners.set(type, listener);
    },
  };
  vm.runInNewContext(readFileSync(bundle, 'utf8'), sandbox, { filename: bundle });
  return { exposed, sentToMain, invoked, domListeners };
}

test('the bundle runs with only electron available and exposes exactly window.api', async () => {
  const { exposed, invoked } = load();
  assert.deepEqual([...exposed.keys()], ['api']);
  const api = exposed.get('api') as Record<string, (args: unknown) => Promise<unknown>>;
  assert.deepEqual(Object.keys(api).sort(), [...CHANNELS, 'on'].sort());
  await api['workspace:info']?.({});
  assert.deepEqual(invoked, [['workspace:info', {}]]);
});

test('dropped files go to main with their disk paths; pathless (page-made) files are dropped', () => {
  const { sentToMain, domListeners } = load();
  let prevented = 0;
  const drop = (files: Array<{ diskPath?: string }>) =>
    domListeners.get('drop')?.({ preventDefault: () => prevented++, dataTransfer: { files } });
  drop([{ diskPath: '/data/a.csv' }, {}, { diskPath: '/data/b.csv' }]);
  drop([{}]);
  // The array comes from the sandbox's realm; compare its contents, not its prototype.
  const plain = sentToMain.map(([channel, paths]) => [channel, [...(paths as string[])]]);
  assert.deepEqual(plain, [['shell:files-dropped', ['/data/a.csv', '/data/b.csv']]]);
  assert.equal(prevented, 2, 'the browser never navigates to a dropped file');
});
