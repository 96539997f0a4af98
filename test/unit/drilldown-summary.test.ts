/**
 * The drilldown's one-line story: final outcome, when, after how many attempts over how long, and the
 * earlier bounces by kind; from the engine (getDrilldown) and from the CLI `correlation` command.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeSummary, formatSpan } from '../../common/outcome-text';
import { formatIsoInZone } from '../../common/time-zone';
import { main } from '../../main/cli/index';
import { getDrilldown } from '../../main/engine/query';
import { insertRecord, tempWorkspace, type Rec, type Workspace } from './query-fixture';
import { textSink } from './cli-fixture';

let ws: Workspace;
const hhmm = (ms: number): string => formatIsoInZone(ms, 'UTC').slice(11, 16);

function story(id: string, recs: readonly Rec[]): void {
  for (const [i, r] of recs.entries())
    insertRecord(ws.db, { message_to: 'jane@kunde.de', correlation_id: id, version: i + 1, ...r });
}

const soft = (t: string): Rec => ({
  creation_time: t,
  status: 'ERROR',
  substatus: 'BOUNCED',
  status_details: 'SOFT_BOUNCE',
  smtp_status_code: '452 4.2.2 mailbox full',
});

before(() => {
  ws = tempWorkspace();
  story('c-retry', [
    soft('2026-10-05 19:12:00.000'),
    soft('2026-10-05 19:27:00.000'),
    {
      creation_time: '2026-10-05 19:42:00.000',
      status: 'OK',
      substatus: 'DELIVERED',
      status_details: 'OK',
      smtp_status_code: '250 2.0.0 OK',
    },
  ]);
  story('c-once', [
    { creation_time: '2026-10-06 08:00:00.000', status: 'OK', substatus: 'DELIVERED', status_details: 'OK' },
  ]);
  story('c-hard', [
    soft('2026-10-06 09:00:00.000'),
    // No portal detail: the kind comes from the SMTP reply (5.7.1 is the receiver's policy).
    {
      creation_time: '2026-10-06 10:00:00.000',
      status: 'ERROR',
      substatus: 'BOUNCED',
      smtp_status_code: '550 5.7.1 blocked by policy',
    },
    {
      creation_time: '2026-10-07 12:05:00.000',
      status: 'ERROR',
      substatus: 'BOUNCED',
      status_details: 'HARD_BOUNCE',
      smtp_status_code: '550 5.1.1 user unknown',
    },
  ]);
  story('c-dropped', [
    {
      creation_time: '2026-10-08 07:00:00.000',
      status: 'OK',
      substatus: 'DROPPED',
      status_details: 'PREVIOUSLY_BOUNCED',
    },
  ]);
  story('c-queued', [
    { creation_time: '2026-10-08 07:00:00.000', status: 'OK' },
    { creation_time: '2026-10-08 07:00:30.000', status: 'OK' },
  ]);
});

after(() => ws.close());

test('delivered after two soft bounces: outcome, time, attempts, span and bounce kinds', () => {
  const s = getDrilldown(ws.db, 'c-retry').summary;
  assert.ok(s);
  assert.deepEqual(
    { ...s },
    {
      outcome: 'delivered',
      outcomeText: 'delivered',
      finalMs: Date.UTC(2026, 9, 5, 19, 42),
      firstMs: Date.UTC(2026, 9, 5, 19, 12),
      attempts: 3,
      spanMs: 30 * 60_000,
      earlierBounces: [{ kind: 'soft', count: 2 }],
    },
  );
  assert.equal(describeSummary(s, hhmm), 'delivered at 19:42 after 2 soft bounces (3 attempts, 30 min)');
});

test('a first-attempt delivery, a final hard bounce after mixed kinds, a drop and a record still pending', () => {
  const once = getDrilldown(ws.db, 'c-once').summary;
  assert.ok(once);
  assert.equal(describeSummary(once, hhmm), 'delivered at 08:00, first attempt');
  const hard = getDrilldown(ws.db, 'c-hard').summary;
  assert.ok(hard);
  assert.equal(hard.outcome, 'bounced');
  assert.deepEqual(hard.earlierBounces, [
    { kind: 'soft', count: 1 },
    { kind: 'policy', count: 1 },
  ]);
  assert.equal(
    describeSummary(hard, hhmm),
    'hard bounce at 12:05 after 1 soft bounce and 1 policy bounce (3 attempts, 27 h 5 min)',
  );
  const dropped = getDrilldown(ws.db, 'c-dropped').summary;
  assert.equal(
    dropped && describeSummary(dropped, hhmm),
    'dropped (PREVIOUSLY_BOUNCED) at 07:00, first attempt',
  );
  const queued = getDrilldown(ws.db, 'c-queued').summary;
  assert.equal(
    queued && describeSummary(queued, hhmm),
    'accepted, not yet delivered at 07:00 after 1 earlier record (2 attempts, 30 s)',
  );
  assert.equal(getDrilldown(ws.db, 'c-none').summary, null);
});

test('spans read as a person would say them', () => {
  assert.equal(formatSpan(45_000), '45 s');
  assert.equal(formatSpan(30 * 60_000), '30 min');
  assert.equal(formatSpan(125 * 60_000), '2 h 5 min');
  assert.equal(formatSpan(3 * 3_600_000), '3 h');
  assert.equal(formatSpan(76 * 3_600_000), '3 d 4 h');
});

test('CLI correlation starts with the outcome line, in UTC or the zone asked for; --json carries it', async () => {
  ws.db.pragma('wal_checkpoint(TRUNCATE)');
  const run = async (argv: string[]): Promise<string> => {
    const out = textSink();
    const err = textSink();
    assert.equal(await main(argv, { stdout: out.stream, stderr: err.stream }), 0, err.text());
    return out.text();
  };
  const text = await run(['correlation', '--db', ws.file, 'c-retry']);
  assert.equal(
    text.split('\n')[0],
    'Outcome: delivered at 2026-10-05 19:42:00Z after 2 soft bounces (3 attempts, 30 min)',
  );
  const berlin = await run(['correlation', '--db', ws.file, 'c-retry', '--time-zone', 'Europe/Berlin']);
  assert.match(berlin.split('\n')[0] ?? '', /^Outcome: delivered at 2026-10-05 21:42:00\+02:00 after/);
  const json = JSON.parse(await run(['correlation', '--db', ws.file, 'c-retry', '--json'])) as {
    summary: { outcome: string; attempts: number; text: string };
  };
  assert.equal(json.summary.outcome, 'delivered');
  assert.equal(json.summary.attempts, 3);
  assert.match(json.summary.text, /after 2 soft bounces/);
});
