/**
 * The one time-zone rule under Node: wall clock <-> instant in named zones (DST included), typed
 * search dates read in the display zone, zone-less import times read in the zone the user names
 * (engine and CLI), and the validator refusing unknown zones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDateValue, parseSearch } from '../../common/search-syntax';
import {
  describeZone,
  formatIsoInZone,
  isValidZone,
  resolveZone,
  wallToInstant,
  zoneOffsetMs,
} from '../../common/time-zone';
import { main } from '../../main/cli/index';
import { openDatabase } from '../../main/engine/db/open';
import { runImport } from '../../main/engine/import/importer';
import { validators } from '../../main/ipc/validate';
import { fixture, record, workspace } from './import-fixture';
import { textSink } from './cli-fixture';

const H = 3_600_000;

test('offsets and wall clocks of named zones follow their DST rules', () => {
  const summer = Date.UTC(2026, 6, 1, 12);
  const winter = Date.UTC(2026, 0, 15, 12);
  assert.equal(zoneOffsetMs(summer, 'Europe/Berlin'), 2 * H);
  assert.equal(zoneOffsetMs(winter, 'Europe/Berlin'), 1 * H);
  assert.equal(zoneOffsetMs(summer, 'America/New_York'), -4 * H);
  assert.equal(zoneOffsetMs(winter, 'America/New_York'), -5 * H);
  assert.equal(formatIsoInZone(summer, 'Europe/Berlin', { offset: true }), '2026-07-01 14:00:00+02:00');
  assert.equal(formatIsoInZone(winter, 'America/New_York', { offset: true }), '2026-01-15 07:00:00-05:00');
  assert.equal(formatIsoInZone(winter, 'UTC', { offset: true, millis: true }), '2026-01-15 12:00:00.000Z');
});

test('a wall-clock time becomes the instant it names, in every zone and across DST changes', () => {
  for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Australia/Lord_Howe']) {
    // Every quarter hour of a year: the round trip instant -> wall clock -> instant is exact
    // except in the repeated hour, where the earlier instant is taken.
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 900_000 * 7) {
      const wall = t + zoneOffsetMs(t, zone);
      const back = wallToInstant(wall, zone);
      if (back !== t) {
        assert.ok(back < t, `${zone} ${new Date(t).toISOString()}: ${new Date(back).toISOString()}`);
        assert.equal(
          back + zoneOffsetMs(back, zone),
          wall,
          `${zone}: the earlier instant shows the same wall clock`,
        );
      }
    }
  }
  // Berlin's skipped hour (29 March 2026, 02:00-03:00 does not exist): read with the winter offset.
  assert.equal(wallToInstant(Date.UTC(2026, 2, 29, 2, 30), 'Europe/Berlin'), Date.UTC(2026, 2, 29, 1, 30));
  // Berlin's repeated hour (25 October 2026, 02:30 twice): the first one (summer time, +02:00).
  assert.equal(wallToInstant(Date.UTC(2026, 9, 25, 2, 30), 'Europe/Berlin'), Date.UTC(2026, 9, 25, 0, 30));
});

test('typed search dates without an offset are read in the display zone; with one, as written', () => {
  assert.equal(parseDateValue('2026-10-05'), Date.UTC(2026, 9, 5), 'default stays UTC (CLI, old callers)');
  assert.equal(parseDateValue('2026-10-05', 'Europe/Berlin'), Date.UTC(2026, 9, 4, 22));
  assert.equal(parseDateValue('2026-10-05 14:30', 'America/New_York'), Date.UTC(2026, 9, 5, 18, 30));
  assert.equal(parseDateValue('2026-10-05T14:30:00+02:00', 'America/New_York'), Date.UTC(2026, 9, 5, 12, 30));
  assert.equal(parseDateValue('2026-10-05T14:30Z', 'Europe/Berlin'), Date.UTC(2026, 9, 5, 14, 30));
  const [after] = parseSearch('after:"2026-10-05 08:00"', { timeZone: 'Europe/Berlin' });
  assert.equal(after?.kind === 'field' ? after.number : null, Date.UTC(2026, 9, 5, 6));
});

test('zone settings: local means the machine zone, unknown names fall back, labels carry the offset', () => {
  assert.equal(resolveZone('UTC'), 'UTC');
  assert.equal(resolveZone('Europe/Berlin'), 'Europe/Berlin');
  assert.equal(resolveZone('local'), new Intl.DateTimeFormat().resolvedOptions().timeZone);
  assert.equal(resolveZone('Mars/Olympus'), resolveZone('local'));
  assert.equal(isValidZone('Mars/Olympus'), false);
  assert.equal(isValidZone(''), false);
  assert.equal(describeZone('Europe/Berlin', Date.UTC(2026, 6, 1)), 'Europe/Berlin (UTC+02:00)');
  assert.equal(describeZone('UTC'), 'UTC');
});

test('the IPC validators accept a known zone on searches and imports and refuse anything else', () => {
  const page = (timeZone: unknown): unknown => ({
    filter: { q: 'after:2026-10-05', timeZone },
    sort: [],
    startRow: 0,
    endRow: 10,
  });
  assert.equal(validators['rows:page'](page('Europe/Berlin')).filter.timeZone, 'Europe/Berlin');
  assert.throws(() => validators['rows:page'](page('Mars/Olympus')), /timeZone/);
  assert.throws(() => validators['rows:page'](page(42)), /timeZone/);
  const exp = validators['export:start']({
    jobId: 'j2',
    path: '/tmp/x.csv',
    filter: {},
    sort: [],
    delimiter: ',',
    bom: false,
    formulaGuard: true,
    timeZone: 'Europe/Berlin',
  });
  assert.equal(exp.timeZone, 'Europe/Berlin');
  const imp = validators['import:start']({
    jobId: 'j1',
    paths: ['/tmp/a.csv'],
    timeZone: 'America/New_York',
  });
  assert.equal(imp.timeZone, 'America/New_York');
  assert.throws(
    () => validators['import:start']({ jobId: 'j1', paths: ['/tmp/a.csv'], timeZone: 'x' }),
    /timeZone/,
  );
});

test('an import with a named zone reads zone-less times there, keeps zoned ones, and records the zone', async () => {
  const w = workspace();
  try {
    const r = await runImport(
      w.db,
      { jobId: 'tz', paths: [fixture('aliases-reordered.csv')], timeZone: 'Europe/Berlin' },
      { signal: new AbortController().signal, onProgress: () => undefined },
    );
    assert.equal(r.files[0]?.imported, 2);
    assert.equal(r.files[0]?.timezoneAssumed, 'Europe/Berlin');
    // "2026-10-01 09:00:00" in Berlin (summer time) is 07:00 UTC.
    assert.equal(record(w.db, 'c-alias-2').creation_time_ms, Date.UTC(2026, 9, 1, 7));
    // "2026-10-01T08:15:30.250Z" carries its zone and is not moved.
    assert.equal(record(w.db, 'c-alias-1').creation_time_ms, Date.UTC(2026, 9, 1, 8, 15, 30, 250));
    const row = w.db.prepare('SELECT timezone_assumed AS z FROM imports').get() as { z: string };
    assert.equal(row.z, 'Europe/Berlin');
  } finally {
    w.cleanup();
  }
});

test('CLI: import --time-zone America/New_York, and a clear usage error for an unknown zone', async () => {
  const w = workspace();
  w.db.close();
  try {
    const out = textSink();
    const err = textSink();
    const argv = [
      'import',
      '--db',
      w.dbPath,
      fixture('aliases-reordered.csv'),
      '--time-zone',
      'America/New_York',
    ];
    const code = await main(argv, { stdout: out.stream, stderr: err.stream });
    assert.equal(code, 0, err.text());
    assert.match(out.text(), /times without a zone were read as America\/New_York/);
    const db = openDatabase(w.dbPath, { readonly: true });
    assert.equal(record(db, 'c-alias-2').creation_time_ms, Date.UTC(2026, 9, 1, 13));
    db.close();
    const bad = textSink();
    const code2 = await main(
      ['import', '--db', w.dbPath, fixture('aliases-reordered.csv'), '--time-zone', 'Berlin'],
      {
        stdout: textSink().stream,
        stderr: bad.stream,
      },
    );
    assert.equal(code2, 2);
    assert.match(
      bad.text(),
      /--time-zone must be UTC or an IANA zone such as Europe\/Berlin \(got "Berlin"\)/,
    );
  } finally {
    w.cleanup();
  }
});
