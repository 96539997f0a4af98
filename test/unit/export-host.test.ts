import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ExportProgress, ExportRequest } from '../../common/contract';
import { generateRows } from '../../bench/generate';
import { EngineHost } from '../../main/engine/worker/host';
import { fileDb, tempDir } from './export-fixture';

function request(dir: string, jobId: string): ExportRequest {
  return {
    jobId,
    path: path.join(dir, `${jobId}.csv`),
    filter: {},
    sort: [],
    delimiter: ',',
    bom: false,
    formulaGuard: true,
  };
}

test('export through the engine workers: progress events, a complete file, and cancel by job id', async () => {
  const { dir, cleanup } = tempDir();
  fileDb(dir, generateRows({ rows: 40_000, seed: 8 })).close();
  const host = EngineHost.open(path.join(dir, 'ws.sqlite'));
  try {
    const seen: ExportProgress[] = [];
    const off = host.on('export:progress', (p) => seen.push(p));
    const done = await host.invoke('export:start', request(dir, 'whole'));
    off();
    assert.equal(done.rowsWritten, 40_000);
    assert.equal(done.expectedRows, 40_000);
    assert.equal(readFileSync(done.path, 'utf8').split('\r\n').length, 40_002);
    assert.ok(seen.some((p) => p.jobId === 'whole' && p.rowsWritten === 40_000));

    // Cancel as soon as the job reports it has started (its temp file exists by then).
    const state: { cancelled: Promise<boolean> | null } = { cancelled: null };
    const offCancel = host.on('export:progress', (p) => {
      if (p.jobId === 'stop' && state.cancelled === null)
        state.cancelled = host.invoke('export:cancel', { jobId: 'stop' });
    });
    await assert.rejects(
      host.invoke('export:start', request(dir, 'stop')),
      (e: unknown) => (e as { code?: string }).code === 'CANCELLED',
    );
    offCancel();
    assert.equal(await state.cancelled, true);
    assert.equal(existsSync(path.join(dir, 'stop.csv')), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('stop')),
      [],
    );
    // The reader answers while nothing else runs, and the workspace is intact.
    assert.equal(await host.invoke('rows:count', { filter: {} }), 40_000);
  } finally {
    await host.close();
    cleanup();
  }
});
