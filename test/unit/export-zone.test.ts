/** Exports in the display zone: times carry the zone's offset, DST included; without a zone, the text as imported. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { COLUMNS } from '../../common/columns';
import type { ExportRequest } from '../../common/contract';
import { runExport } from '../../main/engine/export/exporter';
import { fileDb, tempDir } from './export-fixture';

function row(id: string, time: string, meta = ''): string[] {
  return COLUMNS.map((c) =>
    c.id === 'creation_time'
      ? time
      : c.id === 'correlation_id'
        ? id
        : c.id === 'meta_data_creation_time'
          ? meta
          : '',
  );
}

test('times are written in the chosen zone with their offset; other columns and empty times untouched', async () => {
  const t = tempDir();
  try {
    const db = fileDb(t.dir, [
      row('c-summer', '2026-10-05 19:42:00', '2026-10-05 19:40:00.123'),
      row('c-winter', '2026-11-05 19:42:00.500'),
    ]);
    const run = async (name: string, timeZone?: string): Promise<string[]> => {
      const req: ExportRequest = {
        jobId: name,
        path: path.join(t.dir, name),
        filter: {},
        sort: [{ column: 'creation_time', dir: 'asc' }],
        columns: ['correlation_id', 'creation_time', 'meta_data_creation_time'],
        delimiter: ',',
        bom: false,
        formulaGuard: true,
        ...(timeZone ? { timeZone } : {}),
      };
      await runExport(db, req, { signal: new AbortController().signal, onProgress: () => undefined });
      return readFileSync(req.path, 'utf8').trimEnd().split('\r\n');
    };
    assert.deepEqual(await run('berlin.csv', 'Europe/Berlin'), [
      'Correlation ID,Creation Time,Meta Data Creation Time',
      'c-summer,2026-10-05 21:42:00+02:00,2026-10-05 21:40:00.123+02:00',
      'c-winter,2026-11-05 20:42:00.500+01:00,',
    ]);
    assert.deepEqual((await run('ny.csv', 'America/New_York')).slice(1), [
      'c-summer,2026-10-05 15:42:00-04:00,2026-10-05 15:40:00.123-04:00',
      'c-winter,2026-11-05 14:42:00.500-05:00,',
    ]);
    assert.deepEqual((await run('utc.csv', 'UTC')).slice(1), [
      'c-summer,2026-10-05 19:42:00Z,2026-10-05 19:40:00.123Z',
      'c-winter,2026-11-05 19:42:00.500Z,',
    ]);
    assert.deepEqual((await run('asis.csv')).slice(1), [
      'c-summer,2026-10-05 19:42:00,2026-10-05 19:40:00.123',
      'c-winter,2026-11-05 19:42:00.500,',
    ]);
    db.close();
  } finally {
    t.cleanup();
  }
});
