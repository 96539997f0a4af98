/**
 * recordsWithAddresses (address-memory.ts) collects the records whose address is one of a set of
 * vocabulary ids in one pass into growing chunks: the ids equal a filter of the map, ascending, for
 * maps with more hits than one chunk holds (the chunks grown and joined) and with none.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  enableAddressMemory,
  recordsWithAddresses,
  restoreAddressMemory,
} from '../../main/engine/query/address-memory';
import { recordsGeneration } from '../../main/engine/query/records-generation';
import { workspace } from './import-fixture';

test('the records of a set of addresses are every record whose address is in it, ascending', () => {
  const w = workspace();
  try {
    enableAddressMemory(w.db);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400_000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (records, addresses, share, seed) => {
          let s = seed >>> 0;
          const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
          // 0: a record without an address.
          const vid = new Uint32Array(records + 1);
          for (let id = 1; id <= records; id++) vid[id] = next() % (addresses + 1);
          const vids: number[] = [];
          for (let v = 1; v <= addresses; v++) if (next() / 2 ** 32 < share) vids.push(v);
          restoreAddressMemory(w.db, { generation: recordsGeneration(w.db), upto: records, vid });
          const wanted = new Set(vids);
          const expected: number[] = [];
          for (let id = 1; id <= records; id++) if (wanted.has(vid[id])) expected.push(id);
          const got = recordsWithAddresses(w.db, vids, records);
          assert.ok(got !== null);
          assert.deepEqual([...got], expected);
        },
      ),
      { numRuns: 25, seed: 1201 },
    );
  } finally {
    w.cleanup();
  }
});
