/**
 * The bench's planted typos: the generator's `typoShare` changes only the planted addresses (so the
 * other sections measure the same data as before), keeps each row's domain column that of its address,
 * and the typo list finds the planted typos, so its bench figure measures a list with hints in it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateRows } from '../../bench/generate';
import { fillRecords } from '../../bench/query-data';
import { listTypos } from '../../main/engine/insights/typos';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { tempWorkspace } from './query-fixture';

const TO = 2;
const TO_DOMAIN = 4;
const opts = { rows: 20_000, seed: 11, spanDays: 5 };

const PROVIDER_TYPOS = ['gmial.com', 'gmx.dee', 't-onlin.de', 'outlok.com', 'yahoo.con', 'wbe.de'];

test('planted typos change only the planted addresses, and the typo list finds them', () => {
  const share = { ...opts, typoShare: 0.05 };
  const plain = [...generateRows(opts)];
  const typo = [...generateRows(share)];
  assert.equal(typo.length, plain.length);
  /** Planted address -> the address it was meant to be (domain typos) or '' (a letter left out). */
  const planted = new Map<string, string>();
  const delivered = new Set<string>();
  typo.forEach((row, i) => {
    const before = plain[i] ?? [];
    const to = row[TO] ?? '';
    const domain = to.slice(to.lastIndexOf('@') + 1);
    assert.equal(row[TO_DOMAIN], domain, `domain column of line ${i + 2}`);
    if (row[9] === 'OK') delivered.add(to.toLowerCase());
    if (to !== before[TO])
      planted.set(to.toLowerCase(), PROVIDER_TYPOS.includes(domain) ? (before[TO] ?? '').toLowerCase() : '');
    // Apart from the address, its domain and the reply text that names them, the row is the same.
    row.forEach((v, c) => {
      if (c !== TO && c !== TO_DOMAIN && v !== before[c])
        assert.ok(v.includes(to) || v.includes(domain), `column ${c} of line ${i + 2} changed`);
    });
  });
  const domainTypos = [...planted].filter(([, meant]) => meant !== '');
  assert.ok(domainTypos.length > 20 && planted.size > 60, `planted ${planted.size} typos`);

  const ws = tempWorkspace();
  try {
    fillRecords(ws.db, share);
    updateSearchIndex(ws.db);
    const hints = new Map(
      listTypos(ws.db, {}, { limit: 100_000 }).hints.map((h) => [h.address.toLowerCase(), h.suggestion]),
    );
    // Every near miss of a provider domain is found, with the address that was meant.
    for (const [typed, meant] of domainTypos) assert.equal(hints.get(typed), meant, typed);
    // A left-out letter is hinted only when the name guard lets it (the generator has few names, so
    // "luas" may be in use elsewhere): some are, and each names a delivered address one letter longer.
    const local = [...planted].filter(([, meant]) => meant === '').map(([typed]) => typed);
    const hinted = local.filter((typed) => hints.has(typed));
    assert.ok(
      hinted.length > local.length / 4,
      `${hinted.length} of ${local.length} left-out letters hinted`,
    );
    for (const typed of hinted) {
      const suggestion = hints.get(typed) ?? '';
      assert.ok(
        delivered.has(suggestion) && suggestion.length === typed.length + 1,
        `${typed} -> ${suggestion}`,
      );
    }
  } finally {
    ws.close();
  }
});
