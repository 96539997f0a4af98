import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  DEFAULT_WINDOW,
  MIN_HEIGHT,
  MIN_WIDTH,
  clampToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  type Rect,
} from '../../main/shell/windowState';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 };
const external: Rect = { x: 1440, y: 0, width: 2560, height: 1415 };

test('a window on a display that is still there stays where it was', () => {
  const s = clampToDisplays({ x: 1600, y: 100, width: 1200, height: 800, maximized: false }, [
    laptop,
    external,
  ]);
  assert.deepEqual(s, { x: 1600, y: 100, width: 1200, height: 800, maximized: false });
});

test('a window last seen on an unplugged monitor comes back centred on the primary display', () => {
  const s = clampToDisplays({ x: 1600, y: 100, width: 1200, height: 800, maximized: true }, [laptop]);
  assert.deepEqual(s, { x: 120, y: 38, width: 1200, height: 800, maximized: true });
});

test('a window larger than any display is shrunk to fit, and pulled fully on screen', () => {
  const s = clampToDisplays({ x: 50, y: 20, width: 3000, height: 2000, maximized: false }, [laptop]);
  assert.equal(s.width, 1440);
  assert.equal(s.height, 875);
  assert.equal(s.x, 0);
  assert.equal(s.y, 0);
});

test('a window hanging off the right edge is pulled back inside its display', () => {
  const s = clampToDisplays({ x: 1300, y: 500, width: 1000, height: 600, maximized: false }, [laptop]);
  assert.equal(s.x, 440);
  assert.equal(s.y, 275);
});

test('tiny saved sizes grow to the minimum; a missing position centres the window', () => {
  const s = clampToDisplays({ width: 10, height: 10, maximized: false }, [laptop]);
  assert.equal(s.width, MIN_WIDTH);
  assert.equal(s.height, MIN_HEIGHT);
  assert.equal(s.x, (1440 - MIN_WIDTH) / 2);
});

test('negative coordinates on a display left of the primary are valid', () => {
  const left: Rect = { x: -1920, y: 0, width: 1920, height: 1050 };
  const s = clampToDisplays({ x: -1800, y: 40, width: 1000, height: 700, maximized: false }, [laptop, left]);
  assert.equal(s.x, -1800);
  assert.equal(s.y, 40);
});

test('corrupt or hand-edited state files fall back to defaults', () => {
  assert.deepEqual(parseWindowState(null), DEFAULT_WINDOW);
  assert.deepEqual(parseWindowState({ width: 'wide', height: 3 }), DEFAULT_WINDOW);
  assert.deepEqual(parseWindowState({ width: 900.4, height: 700, x: 'left', y: 3 }), {
    width: 900,
    height: 700,
    maximized: false,
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-shell-win-'));
  try {
    const file = path.join(dir, 'window-state.json');
    assert.deepEqual(loadWindowState(file), DEFAULT_WINDOW, 'missing file');
    writeFileSync(file, '{"width": 1000, "hei');
    assert.deepEqual(loadWindowState(file), DEFAULT_WINDOW, 'truncated file');
    saveWindowState(file, { x: 5, y: 6, width: 1000, height: 700, maximized: true });
    assert.deepEqual(loadWindowState(file), { x: 5, y: 6, width: 1000, height: 700, maximized: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
