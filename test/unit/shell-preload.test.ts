import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANNELS, EVENTS } from '../../common/contract';
import { buildApi, type IpcPort } from '../../preload/api';

function fakePort() {
  const invoked: Array<[string, unknown]> = [];
  const handlers = new Map<string, (payload: unknown) => void>();
  const port: IpcPort = {
    invoke: (channel, args) => {
      invoked.push([channel, args]);
      return Promise.resolve({ ok: true, value: channel });
    },
    subscribe: (event, listener) => {
      assert.ok(!handlers.has(event), 'one IPC subscription per event');
      handlers.set(event, listener);
    },
  };
  const push = (event: string, payload: unknown) => handlers.get(event)?.(payload);
  return { port, invoked, handlers, push };
}

test('window.api is exactly the contract: one function per channel plus on, frozen', async () => {
  const { port, invoked, handlers } = fakePort();
  const api = buildApi(port);
  assert.deepEqual(Object.keys(api).sort(), [...CHANNELS, 'on'].sort());
  assert.ok(Object.isFrozen(api));
  assert.ok(!('ipcRenderer' in api) && !('invoke' in api) && !('send' in api));
  assert.deepEqual([...handlers.keys()].sort(), [...EVENTS].sort());
  assert.deepEqual(await api['rows:count']({ filter: {} }), { ok: true, value: 'rows:count' });
  assert.deepEqual(invoked, [['rows:count', { filter: {} }]]);
});

test('on() delivers events and its return value unsubscribes', () => {
  const { port, push } = fakePort();
  const api = buildApi(port);
  const seen: string[] = [];
  const off = api.on('menu:command', (p) => seen.push(p.command));
  push('menu:command', { command: 'find' });
  off();
  push('menu:command', { command: 'export' });
  assert.deepEqual(seen, ['find']);
});

test('files opened before the page subscribed are delivered on subscription, once', () => {
  const { port, push } = fakePort();
  const api = buildApi(port);
  push('files:opened', { paths: ['/a.csv'] });
  push('menu:command', { command: 'find' });
  const got: string[][] = [];
  api.on('files:opened', (p) => got.push([...p.paths]));
  api.on('files:opened', (p) => got.push([...p.paths]));
  assert.deepEqual(got, [['/a.csv']]);
});

test('a throwing listener does not stop the others; unknown events are refused', () => {
  const { port, push } = fakePort();
  const api = buildApi(port);
  const seen: number[] = [];
  const originalError = console.error;
  console.error = () => undefined;
  try {
    api.on('engine:restarted', () => {
      throw new Error('boom');
    });
    api.on('engine:restarted', () => seen.push(1));
    push('engine:restarted', { reason: 'x' });
  } finally {
    console.error = originalError;
  }
  assert.deepEqual(seen, [1]);
  assert.throws(() => api.on('nope' as 'menu:command', () => undefined), /Unknown event/);
});
