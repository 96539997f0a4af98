/**
 * "One typing slip apart": one character inserted, deleted or replaced, or two neighbours swapped.
 * The edit distance is fastest-levenshtein's (see the README for why that library); the swap, which
 * plain Levenshtein counts as two edits, is checked on top.
 */
import { distance } from 'fastest-levenshtein';

function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a.length < 2) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * Cheap necessary condition: outside one slip the strings agree, so their common prefix and common
 * suffix together cover all but at most two characters of the longer one. Rejects most pairs after
 * a character or two, before the edit distance is computed.
 */
function couldBeOneEdit(a: string, b: string): boolean {
  const n = Math.max(a.length, b.length);
  const m = Math.min(a.length, b.length);
  let p = 0;
  while (p < m && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < m - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return p + s >= n - 2;
}

/** Local part and domain of an address, split at its last '@'; null without a non-empty one of each. */
export function splitAddress(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1 || !couldBeOneEdit(a, b)) return false;
  return distance(a, b) === 1 || isAdjacentSwap(a, b);
}

/** The characters a one-edit change touches (the inserted/deleted one, the replaced pair, the swapped pair). */
export function changedCharacters(a: string, b: string): string {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  if (a.length !== b.length) return (a.length > b.length ? a : b)[p] ?? '';
  if (isAdjacentSwap(a, b)) return a.slice(p, p + 2);
  return `${a[p] ?? ''}${b[p] ?? ''}`;
}

/**
 * Characters a typo in a local part may touch: letters only. Digits are left out because max.weber12
 * and max.weber13 are two people far more often than one slip; separators because anna.schulz,
 * anna-schulz and annaschulz are as often three people as one (the precision test measures both).
 */
export const TYPO_ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
const ALLOWED = new Set(TYPO_ALPHABET);

/** Position of the first difference (the slip's position in both strings). */
function firstDifference(a: string, b: string): number {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  return p;
}

/** The name part (between separators) around position `i`. */
function tokenAt(s: string, i: number): string {
  const sep = /[._+-]/;
  let a = i;
  while (a > 0 && !sep.test(s[a - 1] ?? '')) a--;
  let b = i;
  while (b < s.length && !sep.test(s[b] ?? '')) b++;
  return s.slice(a, b);
}

/**
 * A local part that a slip could have made out of `delivered`: one letter edit, not in an initial
 * (a.weber and j.weber are different people, not a slip).
 */
export function localSlip(typed: string, delivered: string): boolean {
  if (!oneEditApart(typed, delivered)) return false;
  for (const c of changedCharacters(typed, delivered)) if (!ALLOWED.has(c)) return false;
  const p = firstDifference(typed, delivered);
  return tokenAt(typed, p).length > 1 && tokenAt(delivered, p).length > 1;
}

/** The typed name part that holds the slip ("moeler" in julia.moeler). */
export function slippedToken(typed: string, delivered: string): string {
  return tokenAt(typed, firstDifference(typed, delivered));
}

/** Every string one allowed slip away from `s` (the candidates a single address is checked against). */
export function slipVariants(s: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= s.length; i++) {
    for (const c of TYPO_ALPHABET) {
      out.add(s.slice(0, i) + c + s.slice(i));
      if (i < s.length) out.add(s.slice(0, i) + c + s.slice(i + 1));
    }
    if (i < s.length) out.add(s.slice(0, i) + s.slice(i + 1));
    if (i + 1 < s.length) out.add(s.slice(0, i) + (s[i + 1] ?? '') + (s[i] ?? '') + s.slice(i + 2));
  }
  out.delete(s);
  return [...out];
}
