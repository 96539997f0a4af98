import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getDrilldown, lookupAddresses } from '../../main/engine/query';
import { insertRecord, tempWorkspace, type Workspace } from './query-fixture';

let ws: Workspace;
const ids: Record<string, number> = {};

before(() => {
  ws = tempWorkspace();
  const db = ws.db;
  const base = {
    message_to: 'jane@kunde.de',
    message_to_domain: 'kunde.de',
    message_from: 'invoice@billing.example.com',
  };
  // Earlier hard bounces of the same recipient (one in another letter case), a later one, and one of another recipient.
  ids.bounce1 = insertRecord(db, {
    ...base,
    correlation_id: 'c-old-1',
    creation_time: '2026-10-01 08:00:00.000',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'HARD_BOUNCE',
    smtp_status_code: '550 5.1.1 <jane@kunde.de>: User unknown',
    version: 1,
  });
  ids.bounce2 = insertRecord(db, {
    ...base,
    message_to: 'Jane@Kunde.de',
    correlation_id: 'c-old-2',
    creation_time: '2026-10-03 08:00:00.000',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'HARD_BOUNCE',
    smtp_status_code: '550 5.1.1 gone',
    version: 1,
  });
  ids.later = insertRecord(db, {
    ...base,
    correlation_id: 'c-late',
    creation_time: '2026-10-09 08:00:00.000',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'HARD_BOUNCE',
    version: 1,
  });
  ids.other = insertRecord(db, {
    ...base,
    message_to: 'max@kunde.de',
    correlation_id: 'c-max',
    creation_time: '2026-10-02 08:00:00.000',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'HARD_BOUNCE',
    version: 1,
  });
  ids.soft = insertRecord(db, {
    ...base,
    correlation_id: 'c-soft',
    creation_time: '2026-10-02 09:00:00.000',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'SOFT_BOUNCE',
    version: 1,
  });
  // The message under investigation, inserted out of order: version 2 (dropped) before version 1, plus a same-time version 3.
  ids.v2 = insertRecord(db, {
    ...base,
    correlation_id: 'c-new',
    creation_time: '2026-10-05 10:00:05.000',
    status: 'ERROR',
    substatus: 'DROPPED',
    status_details: 'PREVIOUSLY_BOUNCED',
    smtp_status_code: '',
    version: 2,
  });
  ids.v1 = insertRecord(db, {
    ...base,
    correlation_id: 'c-new',
    creation_time: '2026-10-05 10:00:00.000',
    status: 'OK',
    substatus: 'DELIVERED',
    status_details: 'OK',
    smtp_status_code: '250 2.0.0 OK',
    version: 1,
  });
  ids.v3 = insertRecord(db, {
    ...base,
    correlation_id: 'c-new',
    creation_time: '2026-10-05 10:00:05.000',
    status: 'ERROR',
    substatus: 'DROPPED',
    status_details: 'PREVIOUSLY_BOUNCED',
    smtp_status_code: '',
    version: 3,
  });
});
after(() => ws.close());

test('drilldown lists the records of one Correlation ID by creation time, then version', () => {
  const d = getDrilldown(ws.db, ' c-new ');
  assert.equal(d.correlationId, 'c-new');
  assert.deepEqual(
    d.entries.map((e) => e.record.id),
    [ids.v1, ids.v2, ids.v3],
  );
  assert.deepEqual(d.entries[0]?.changes, []);
  const changed = new Map((d.entries[1]?.changes ?? []).map((c) => [c.column, [c.from, c.to]]));
  assert.deepEqual(changed.get('status'), ['OK', 'ERROR']);
  assert.deepEqual(changed.get('status_details'), ['OK', 'PREVIOUSLY_BOUNCED']);
  assert.deepEqual(changed.get('version'), [1, 2]);
  assert.ok(!changed.has('message_to'), 'unchanged columns are not listed');
  assert.deepEqual(
    d.entries[2]?.changes.map((c) => c.column),
    ['version'],
  );
  // An SMTP reply is explained; an empty one is not.
  assert.notEqual(d.entries[0]?.explanation, null);
  assert.equal(d.entries[0]?.explanation?.input, '250 2.0.0 OK');
  assert.equal(d.entries[1]?.explanation, null);
});

test('previously bounced records link to the earlier hard bounces of the same recipient only', () => {
  const d = getDrilldown(ws.db, 'c-new');
  assert.deepEqual(
    d.priorHardBounces.map((r) => r.id),
    [ids.bounce2, ids.bounce1],
  );
  // A delivered message has none.
  assert.deepEqual(getDrilldown(ws.db, 'c-soft').priorHardBounces, []);
});

test('an unknown Correlation ID gives an empty drilldown; an empty one is a typed error', () => {
  const d = getDrilldown(ws.db, "c-none' OR '1'='1");
  assert.deepEqual(d.entries, []);
  assert.throws(
    () => getDrilldown(ws.db, '  '),
    (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
  );
});

test('batch lookup gives one line per address with the latest outcome', () => {
  const lines = lookupAddresses(ws.db, ['JANE@kunde.de', ' <max@kunde.de> ', 'nobody@kunde.de', '']);
  assert.equal(lines.length, 4);
  const [jane, max, nobody, empty] = lines;
  assert.equal(jane?.found, 7);
  assert.equal(jane?.latestDetails, 'HARD_BOUNCE');
  assert.equal(jane?.correlationId, 'c-late');
  assert.equal(jane?.latestTime, '2026-10-09 08:00:00.000');
  assert.equal(jane?.latestTimeMs, Date.UTC(2026, 9, 9, 8));
  assert.equal(max?.address, 'max@kunde.de');
  assert.equal(max?.found, 1);
  assert.equal(max?.latestSubstatus, 'BOUNCED');
  assert.deepEqual(
    [nobody?.found, nobody?.latestStatus, nobody?.latestSmtp, nobody?.correlationId],
    [0, null, null, null],
  );
  assert.equal(empty?.found, 0);
});
