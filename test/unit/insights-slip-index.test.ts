/**
 * The slip index finds every pair one letter slip apart (the property the typo scan's exactness
 * rests on): for random local parts and a random letter slip of each, probing with the slipped
 * address returns the original and every other stored address one letter slip away.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { localSlip, oneEditApart } from '../../main/engine/insights/edits';
import { SlipIndex } from '../../main/engine/insights/slip-index';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const local = fc
  .array(fc.constantFrom(...'abcdeilmnorstu.-_19'), { minLength: 2, maxLength: 24 })
  .map((c) => c.join(''));
const letter = fc.constantFrom(...LETTERS);

/** One letter slip of `s`: insert, delete, replace or swap neighbours (letters only). */
const slipped = (s: string, kind: number, at: number, c: string): string | null => {
  const i = at % (s.length + 1);
  const isL = (x: string | undefined): boolean => x !== undefined && LETTERS.includes(x);
  if (kind === 0) return s.slice(0, i) + c + s.slice(i);
  if (i >= s.length || !isL(s[i])) return null;
  if (kind === 1) return s.slice(0, i) + s.slice(i + 1);
  if (kind === 2) return s.slice(0, i) + c + s.slice(i + 1);
  if (i + 1 >= s.length || !isL(s[i + 1])) return null;
  return s.slice(0, i) + (s[i + 1] ?? '') + (s[i] ?? '') + s.slice(i + 2);
};

test('every one-letter slip shares a key with the original', () => {
  fc.assert(
    fc.property(
      fc.array(local, { minLength: 1, maxLength: 30 }),
      fc.nat(),
      fc.nat(3),
      fc.nat(),
      letter,
      (others, pick, kind, at, c) => {
        const original = others[pick % others.length] ?? 'x';
        const typo = slipped(original, kind, at, c);
        fc.pre(typo !== null && typo !== original && typo.length > 0);
        const addresses = others.map((o) => `${o}@kunde.de`);
        const index = new SlipIndex(addresses);
        const found = new Set<string>();
        index.probe(`${typo}@kunde.de`, (e) => found.add(addresses[e] ?? ''));
        assert.ok(found.has(`${original}@kunde.de`), `${typo} -> ${original}`);
        // Whatever else it returns is a candidate; every true one-edit neighbour must be among them.
        for (const o of others)
          if (o !== typo && oneEditApart(o, typo) && localSlip(typo, o))
            assert.ok(found.has(`${o}@kunde.de`), `missed ${o} for ${typo}`);
      },
    ),
    { numRuns: 2000 },
  );
});
