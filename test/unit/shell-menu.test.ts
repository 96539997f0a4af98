import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../common/contract';
import { ACCELERATORS, buildMenuTemplate, menuLabel, type MenuActions } from '../../main/shell/menu';

function setup(platform: NodeJS.Platform, recent: string[] = [], devTools = false) {
  const calls: string[] = [];
  const actions: MenuActions = {
    command: (c: MenuCommand) => calls.push(`command:${c}`),
    openRecent: (p) => calls.push(`recent:${p}`),
    openDataFolder: () => calls.push('data-folder'),
    about: () => calls.push('about'),
  };
  const template = buildMenuTemplate({ platform, appName: 'Delivery Inspector', recent, devTools }, actions);
  return { template, calls };
}

function items(menu: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  const sub = menu?.submenu;
  return Array.isArray(sub) ? sub : [];
}

function find(menu: MenuItemConstructorOptions | undefined, label: string): MenuItemConstructorOptions {
  const item = items(menu).find((i) => i.label === label);
  assert.ok(item, `menu item ${label}`);
  return item;
}

function click(item: MenuItemConstructorOptions): void {
  assert.ok(item.click, `${item.label} is clickable`);
  (item.click as () => void)();
}

test('Windows/Linux menu: File, Edit, View, Help with the specified items and shortcuts', () => {
  const { template, calls } = setup('linux');
  assert.deepEqual(
    template.map((m) => m.label),
    ['&File', '&Edit', '&View', '&Help'],
  );
  const [file, edit, view, help] = template;
  assert.equal(find(file, 'Import Files…').accelerator, 'CmdOrCtrl+O');
  assert.equal(find(file, 'Export…').accelerator, 'CmdOrCtrl+E');
  assert.equal(find(view, 'Find…').accelerator, 'CmdOrCtrl+F');
  assert.ok(
    items(file).some((i) => i.role === 'quit'),
    'File ends with Quit',
  );
  assert.deepEqual(
    items(edit)
      .map((i) => i.role)
      .filter(Boolean),
    ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'],
  );
  for (const role of ['resetZoom', 'zoomIn', 'zoomOut'])
    assert.ok(
      items(view).some((i) => i.role === role),
      role,
    );
  assert.ok(!items(view).some((i) => i.role === 'toggleDevTools'), 'no DevTools when packaged');

  click(find(file, 'New Workspace…'));
  click(find(file, 'Open Workspace…'));
  click(find(file, 'Import Files…'));
  click(find(file, 'Export…'));
  click(find(view, 'Find…'));
  click(find(view, 'Toggle Dark Mode'));
  click(find(help, 'About Delivery Inspector'));
  click(find(help, 'Open Data Folder'));
  assert.deepEqual(calls, [
    'command:new-workspace',
    'command:open-workspace',
    'command:import',
    'command:export',
    'command:find',
    'command:toggle-theme',
    'about',
    'data-folder',
  ]);
});

test('accelerators are unique', () => {
  const values = Object.values(ACCELERATORS);
  assert.equal(new Set(values).size, values.length);
});

test('macOS: app menu first with About and Quit; File has no Quit', () => {
  const { template } = setup('darwin');
  assert.equal(template[0]?.label, 'Delivery Inspector');
  assert.ok(items(template[0]).some((i) => i.role === 'quit'));
  const file = template.find((m) => m.label === '&File');
  assert.ok(!items(file).some((i) => i.role === 'quit'));
});

test('Recent lists workspaces that open on click, and says so when empty', () => {
  const empty = setup('win32');
  const emptyRecent = items(find(empty.template[0], 'Recent Workspaces'));
  assert.equal(emptyRecent.length, 1);
  assert.equal(emptyRecent[0]?.enabled, false);

  const { template, calls } = setup('linux', ['/cases/R&D/acme.sqlite', '/cases/b.sqlite']);
  const recent = items(find(template[0], 'Recent Workspaces'));
  assert.equal(recent.length, 2);
  assert.equal(recent[0]?.label, 'acme.sqlite — /cases/R&&D', "'&' shown literally, not as a mnemonic");
  click(recent[1]);
  assert.deepEqual(calls, ['recent:/cases/b.sqlite']);
});

test('unpackaged builds get reload and DevTools', () => {
  const { template } = setup('linux', [], true);
  assert.ok(items(template[2]).some((i) => i.role === 'toggleDevTools'));
  assert.equal(menuLabel('a&b&c'), 'a&&b&&c');
});
