/**
 * A setting saved while another process (a CLI import of the same workspace) holds the write lock is
 * kept and written once the lock is free; it does not hold up the writer. Before, the write waited the
 * 5 s busy timeout and failed ("database is locked"): the setting was lost, and an import started
 * right after it (the import dialog saves its zone, then starts) waited behind it.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { ImportProgress } from '../../common/contract';
import { EngineHost } from '../../main/engine/worker/host';
import { getSetting } from '../../main/engine/workspace';
import { writeExport } from '../../bench/generate';
import { workspace } from './import-fixture';

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('settings saved while another process writes are kept, written when it ends, and an import started meanwhile shows it waits', async () => {
  const w = workspace();
  w.db.close();
  const host = EngineHost.open(w.dbPath);
  const other = new BetterSqlite3(w.dbPath);
  try {
    const csv = path.join(w.dir, 'a.csv');
    await writeExport(csv, { rows: 500 });
    await host.invoke('workspace:info', {});
    other.exec('BEGIN IMMEDIATE');
    // As the import dialog does: save its zone (not awaited), then start the import.
    const saved = host.invoke('settings:set', { key: 'import.timeZone', value: 'Europe/Berlin' });
    const phases: ImportProgress['phase'][] = [];
    const off = host.on('import:progress', (p) => phases.push(p.phase));
    const imported = host.invoke('import:start', { jobId: 'j', paths: [csv] });
    assert.equal(await saved, true, 'the save is accepted while the lock is taken');
    await until(() => phases.includes('waiting'), 'the import to report that it waits');
    assert.equal(getSetting(other, 'import.timeZone'), null, 'nothing could be written yet');
    other.exec('COMMIT');
    const result = await imported;
    off();
    assert.equal(result.files[0]?.imported, 500);
    await until(() => getSetting(other, 'import.timeZone') === 'Europe/Berlin', 'the kept setting to land');
    assert.equal(await host.invoke('settings:get', { key: 'import.timeZone' }), 'Europe/Berlin');

    // A newer value of a key replaces a kept one; two keys are both written.
    other.exec('BEGIN IMMEDIATE');
    await host.invoke('settings:set', { key: 'display.timeZone', value: 'UTC' });
    await host.invoke('settings:set', { key: 'import.timeZone', value: 'Asia/Tokyo' });
    await host.invoke('settings:set', { key: 'import.timeZone', value: 'America/New_York' });
    other.exec('COMMIT');
    await until(
      () =>
        getSetting(other, 'import.timeZone') === 'America/New_York' &&
        getSetting(other, 'display.timeZone') === 'UTC',
      'both kept settings to land',
    );
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await host.close();
    w.cleanup();
  }
});
