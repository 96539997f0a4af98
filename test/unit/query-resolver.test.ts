import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileWhere } from '../../main/engine/query/filter';
import { createResolver } from '../../main/engine/query/resolver';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { insertRecord, tempWorkspace } from './query-fixture';

/**
 * The resolver counts trigram candidates without confirming them, and confirms only the values it
 * returns. A term whose trigrams many values hold without holding the term ('abcd': "abc" AND "bcd")
 * must still resolve to exactly the values that contain it, or to null (a LIKE scan), never to a
 * candidate that does not contain it, and the counts must equal a substring test of every record.
 */
test('trigram candidates that do not contain the term are never taken for matches', () => {
  const ws = tempWorkspace();
  try {
    const addresses: string[] = [];
    const replies: string[] = [];
    // Candidates only: both trigrams of 'abcd', never the term itself.
    for (let i = 0; i < 12; i++) addresses.push(`abc${i}bcd@x${i}.de`);
    // Real matches, fewer than the cap in the reply column, more than it among the addresses.
    for (let i = 0; i < 3; i++) addresses.push(`zABCDz${i}@y.de`);
    replies.push('550 abcd gone', '550 ABC-BCD not a match', '250 ok');
    addresses.forEach((to, i) =>
      insertRecord(ws.db, { message_to: to, smtp_status_code: replies[i % replies.length] }),
    );
    updateSearchIndex(ws.db);
    const matches = (v: string): boolean => v.toLowerCase().includes('abcd');
    for (const maxValues of [1, 2, 5, 20]) {
      const resolver = createResolver(ws.db, maxValues, 1000);
      for (const column of ['message_to', 'smtp_status_code'] as const) {
        const values = resolver.resolve(column, 'abcd');
        if (values !== null) {
          const all = column === 'message_to' ? addresses : replies;
          const expected = [...new Set(all.filter(matches).map((v) => v.toLowerCase()))].sort();
          assert.deepEqual(
            values.map((v) => v.toLowerCase()).sort(),
            expected,
            `${column} with cap ${maxValues}`,
          );
        }
      }
      const where = compileWhere({ q: 'abcd' }, { ...resolver, visitsAll: true });
      const count = (
        ws.db.prepare(`SELECT count(*) AS n FROM records WHERE ${where.sql}`).get(...where.params) as {
          n: number;
        }
      ).n;
      const brute = addresses.filter((to, i) => matches(to) || matches(replies[i % replies.length])).length;
      assert.equal(count, brute, `count with cap ${maxValues}`);
    }
  } finally {
    ws.close();
  }
});
