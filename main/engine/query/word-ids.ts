/**
 * A free word's id set kept on the aggregate reader across searches, for as long as the records
 * stay as they are: `jane`, `-jane`, `jane` under another zone and the complement's subtracted
 * `jane` (complement.ts) are then one lookup, not one each.
 *
 * Why: paging.ts keeps a set per filter, so every other filter with the same word found the word's
 * ids again. At 5M rows (copy of the shared case, in-process, under load) `jane`'s set costs
 * 250-400 ms of CPU: the trigram lookup of its 351k vocabulary candidates (~150-240 ms with the
 * JSON of the 340k address ids, of which ~100 ms the FTS5 and LIKE pass alone), the pass over the
 * 5M-record address map (~40-100 ms) and the other columns' ids (~20 ms). A search typed on from a
 * word (`jane`, then `jane -anna` or `-jane`), and the single requests the UI sends again under
 * another zone, found it again each time.
 *
 * Kept exact: the sets belong to one records fingerprint (records-generation.ts: any insert, delete
 * or update of records, and any change of the vocabulary's, summaries' or facts' coverage changes
 * it); a set found under another is never read. The sets are the words' whole id sets, as the
 * filter of the word alone finds them: a word's set does not depend on the zone or on the other
 * terms of the search.
 *
 * Memory: the last MAX_WORDS words, at most MAX_HELD_IDS ids in all beyond the newest (4 bytes an id).
 */
import type { Database } from 'better-sqlite3';
import type { MatchIds } from './match-ids';
import { dataVersion, recordsFingerprint } from './records-generation';

const MAX_WORDS = 4;
const MAX_HELD_IDS = 8_000_000;

interface Kept {
  version: string;
  readonly fingerprint: string;
  /** Least recently used first. */
  readonly words: Map<string, MatchIds>;
  /** Every record's id (words-except.ts), once asked for and found. */
  every?: MatchIds;
}

const kept = new WeakMap<Database, Kept>();

/** Forgets the kept sets (paging.ts clearQueryCache: cold timings and tests of both paths). */
export function dropKeptWords(db: Database): void {
  kept.delete(db);
}

/** This connection's kept sets for the records now (dropped when the fingerprint changed). */
function current(db: Database): Kept {
  const version = dataVersion(db);
  let k = kept.get(db);
  if (k === undefined || k.version !== version) {
    // A settings write commits during searches: the sets stay unless the records changed.
    const fingerprint = recordsFingerprint(db);
    if (k !== undefined && k.fingerprint === fingerprint) k.version = version;
    else {
      k = { version, fingerprint, words: new Map() };
      kept.set(db, k);
    }
  }
  return k;
}

/** Every record's id set as kept (words-except.ts; ~20 MB at 5M rows), else `find()`'s, kept unless null. */
export function keptEvery(db: Database, find: () => MatchIds | null): MatchIds | null {
  const k = current(db);
  k.every ??= find() ?? undefined;
  return k.every ?? null;
}

/**
 * The word's set as kept, else `find()`'s (kept unless null: not an id set). Call inside the
 * caller's read transaction, so the fingerprint and the set found belong to the same commit. The
 * set is shared: callers must not write into its list.
 */
export function keptWordIds(db: Database, word: string, find: () => MatchIds | null): MatchIds | null {
  const words = current(db).words;
  const hit = words.get(word);
  if (hit !== undefined) {
    words.delete(word);
    words.set(word, hit);
    return hit;
  }
  const found = find();
  if (found === null) return null;
  words.set(word, found);
  let held = 0;
  for (const ids of words.values()) held += ids.count;
  for (const [w, ids] of words) {
    if (words.size <= 1 || (words.size <= MAX_WORDS && held <= MAX_HELD_IDS)) break;
    words.delete(w);
    held -= ids.count;
  }
  return found;
}
