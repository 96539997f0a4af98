/**
 * `export --time-zone`: the CLI writes the time columns in the named zone (UTC, local or IANA) with
 * their offset, for CSV and .xlsx alike, and dates typed in --q mean that zone's wall clock.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { COLUMNS } from '../../common/columns';
import { fileDb, tempDir } from './export-fixture';
import { runCli } from './cli-fixture';

function row(id: string, time: string): string[] {
  return COLUMNS.map((c) => (c.id === 'creation_time' ? time : c.id === 'correlation_id' ? id : ''));
}

test('cli export --time-zone writes times in that zone with their offset; --q dates are read there', async () => {
  const t = tempDir();
  const savedTz = process.env.TZ;
  try {
    // Export times are UTC (zone-less): 19:42 UTC is 21:42 in Berlin in October, 20:42 in November.
    fileDb(t.dir, [
      row('c-summer', '2026-10-05 19:42:00'),
      row('c-winter', '2026-11-05 19:42:00.500'),
    ]).close();
    const dbFile = path.join(t.dir, 'ws.sqlite');
    const run = async (name: string, ...extra: string[]): Promise<string[]> => {
      const out = path.join(t.dir, name);
      const r = await runCli([
        'export',
        '--db',
        dbFile,
        '--out',
        out,
        '--columns',
        'correlation_id,creation_time',
        '--sort',
        'creation_time',
        ...extra,
      ]);
      assert.equal(r.code, 0, r.err);
      return readFileSync(out, 'utf8').trim().split('\r\n').slice(1);
    };
    assert.deepEqual(await run('raw.csv'), [
      'c-summer,2026-10-05 19:42:00',
      'c-winter,2026-11-05 19:42:00.500',
    ]);
    assert.deepEqual(await run('berlin.csv', '--time-zone', 'Europe/Berlin'), [
      'c-summer,2026-10-05 21:42:00+02:00',
      'c-winter,2026-11-05 20:42:00.500+01:00',
    ]);
    assert.deepEqual(await run('ny.csv', '--time-zone', 'America/New_York'), [
      'c-summer,2026-10-05 15:42:00-04:00',
      'c-winter,2026-11-05 14:42:00.500-05:00',
    ]);
    assert.deepEqual(await run('utc.csv', '--time-zone', 'utc'), [
      'c-summer,2026-10-05 19:42:00Z',
      'c-winter,2026-11-05 19:42:00.500Z',
    ]);
    // "local" is the zone of the machine running the CLI.
    process.env.TZ = 'Asia/Kolkata';
    assert.deepEqual(await run('local.csv', '--time-zone', 'local'), [
      'c-summer,2026-10-06 01:12:00+05:30',
      'c-winter,2026-11-06 01:12:00.500+05:30',
    ]);
    // after:"2026-10-05 21:00" is 19:00 UTC in Berlin (c-summer, at 21:42 there, is after it) and
    // 01:00 UTC the next day in New York (c-summer, at 15:42 there, is not).
    const q = ['--q', 'after:"2026-10-05 21:00" before:2026-10-06'];
    assert.deepEqual(await run('q-berlin.csv', '--time-zone', 'Europe/Berlin', ...q), [
      'c-summer,2026-10-05 21:42:00+02:00',
    ]);
    assert.deepEqual(await run('q-ny.csv', '--time-zone', 'America/New_York', ...q), []);
    // The .xlsx export takes the same option (its zone is stated in the header note).
    const xlsx = await runCli([
      'export',
      '--db',
      dbFile,
      '--out',
      path.join(t.dir, 'b.xlsx'),
      '--time-zone',
      'local',
      '--json',
    ]);
    assert.equal(xlsx.code, 0, xlsx.err);

    const bad = await runCli([
      'export',
      '--db',
      dbFile,
      '--out',
      path.join(t.dir, 'x.csv'),
      '--time-zone',
      'Berlin',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--time-zone: unknown time zone "Berlin" \(use UTC, local or an IANA name/);
  } finally {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
    t.cleanup();
  }
});
