/**
 * The token dictionary (word-tokens.ts) kept in the workspace beside the memories (memory-cache.ts),
 * for the CLI's count of one free word (word-count.ts): the word's address ids and other values without
 * the trigram statement.
 *
 * Layout: `words.head` (JSON: the vocabulary's largest id and the postings' length), `words.text` (the
 * tokens), `words.offsets` (Uint32, per token where its postings start), `words.other` (Uint32 pairs
 * (vocabulary id, column) of the values not of message_to, ascending), `words.post`, `words.post#1`,
 * ... (the postings in rows of POST_IDS ids). Every row carries the records generation and the
 * vocabulary's coverage it was built at; read only when both are today's and the vocabulary's
 * largest id is the one it was built from (an append past it, a removal: not used).
 *
 * Why rows of 256 KiB for the postings: they are 76 MB at 5M rows, and a word reads only its tokens'
 * ones (`jane`: 8 tokens, 1.4 MB); a 4 MiB chunk per token would read ~30 MB.
 */
import type { Database } from 'better-sqlite3';
import { nameOf, readChunks, uint32View } from './memory-chunks';
import { recordsGeneration } from './records-generation';
import { searchIndexCoverage } from './search-index';
import { tokensHolding, unionPostings } from './word-tokens';
import { collectTokens, placeWindow, postingsLength } from './word-tokens-build';
import { sameIds, wordRecordsFirst } from './word-records';

/** The head part, written last: its `upto` tells whether a whole dictionary is kept at a coverage. */
export const WORDS_HEAD = 'words.head';
const TEXT = 'words.text';
const OFFSETS = 'words.offsets';
const OTHER = 'words.other';
const POST = 'words.post';
/**
 * Vocabulary ids read per statement while building. 5M rows, the rows alone read in one process:
 * 50 000 a statement peaked at 173 MB RSS and 5.5 s of CPU, 5 000 at 93 MB and 3.3 s (fewer rows
 * held across the young generation's collections).
 */
const READ_IDS = 5_000;
/** Postings per row of `words.post` (a test passes fewer to read across rows). */
export const POST_IDS = 65_536;
/** Rows of postings placed per window of the build (16 MiB). */
export const WINDOW_ROWS = 64;

function bytesOf(a: Uint32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function vocabularyMax(db: Database): number {
  return db.prepare('SELECT ifnull(max(id), 0) FROM search_vocab').pluck().get() as number;
}

/** Takes rows to write for the records generation they were built at (memory-cache.ts writeParts). */
export type WriteRows = (generation: string, rows: [string, number, Buffer][]) => void;

/**
 * Builds the dictionary of the vocabulary as it is now (one read transaction of `db`) and hands its
 * rows to `write` in batches, each of which the caller writes before the next is built: first a head
 * no restore takes, the text, offsets and other columns' ids; then the postings, one window of
 * `windowRows` rows at a time; last the head. Bytes handed, null when there is no vocabulary.
 *
 * Why batches: the postings are 76 MB at 5M rows; one window is 16 MiB. A build cut short leaves the
 * placeholder head, so its rows are never read.
 */
export function keepWordTokenRows(
  db: Database,
  write: WriteRows,
  postIds = POST_IDS,
  windowRows = WINDOW_ROWS,
): number | null {
  return db.transaction(() => {
    const upto = searchIndexCoverage(db);
    if (upto === 0) return null;
    const vocabMax = vocabularyMax(db);
    const generation = recordsGeneration(db);
    // In id ranges by all(): iterate() one row at a time was most of the build's CPU.
    const read = db
      .prepare('SELECT id, col, value FROM search_vocab WHERE id > ? AND id <= ? ORDER BY id')
      .raw();
    // The other values' records with their addresses (word-records.ts), from the same snapshot and
    // before the tokens are collected: its arrays (~40 MB at 5M rows) are garbage by the build's peak.
    const records = wordRecordsFirst(db, upto, vocabMax);
    const other: number[] = [];
    const c = collectTokens(
      (function* () {
        for (let from = 0; from < vocabMax; from += READ_IDS)
          for (const [id, col, value] of read.all(from, Math.min(vocabMax, from + READ_IDS)) as [
            number,
            number,
            string | null,
          ][]) {
            if (col !== 0) other.push(id, col);
            yield [id, value ?? ''] as const;
          }
      })(),
    );
    let bytes = 0;
    const emit = (rows: [string, number, Buffer][]): void => {
      write(generation, rows);
      bytes += rows.reduce((n, [, , data]) => n + data.length, 0);
    };
    // The placeholder head claims no coverage (-1): a reader that looks while the build runs (a page
    // reader checks the head's upto before it restores, page-words.ts) is not told a whole dictionary
    // is here, and so does not settle on "none" for this coverage before the real head is written.
    const otherIds = Uint32Array.from(other);
    emit([
      [WORDS_HEAD, -1, Buffer.from('{}', 'utf8')],
      [TEXT, upto, Buffer.from(c.text, 'utf8')],
      [OFFSETS, upto, bytesOf(c.offsets)],
      [OTHER, upto, bytesOf(otherIds)],
      ...(records === null || !sameIds(records.other, otherIds) ? [] : [records.row]),
    ]);
    const total = postingsLength(c);
    const step = postIds * windowRows;
    // The first row always, so that writing it drops every row of an older, longer list (writeParts).
    for (let lo = 0; lo === 0 || lo < total; lo += step) {
      const hi = Math.min(total, lo + step);
      const window = placeWindow(c, lo, hi);
      const rows: [string, number, Buffer][] = [];
      for (let i = lo; i === lo || i < hi; i += postIds)
        rows.push([nameOf(POST, i / postIds), upto, bytesOf(window.subarray(i - lo, i - lo + postIds))]);
      emit(rows);
    }
    emit([[WORDS_HEAD, upto, Buffer.from(JSON.stringify({ vocabMax, postings: total, postIds }), 'utf8')]]);
    return bytes;
  })();
}

/** All the rows at once, the last of each name (tests: a small vocabulary written by writeParts). */
export function wordTokenRows(
  db: Database,
  postIds = POST_IDS,
): { generation: string; rows: [string, number, Buffer][] } | null {
  const rows = new Map<string, [string, number, Buffer]>();
  let generation = '';
  const kept = keepWordTokenRows(
    db,
    (g, batch) => {
      generation = g;
      for (const row of batch) rows.set(row[0], row);
    },
    postIds,
  );
  return kept === null ? null : { generation, rows: [...rows.values()] };
}

export interface KeptTokens {
  readonly upto: number;
  readonly vocabMax: number;
  readonly text: string;
  readonly offsets: Uint32Array;
  /** (vocabulary id, column) of the values not of message_to, ascending. */
  readonly other: Uint32Array;
  /** Postings [from, to), read from their rows on first use; null when a row is missing or not of this build. */
  readonly postings: (from: number, to: number) => Uint32Array | null;
  /** Bytes of postings rows held now (at most the cap restoreWordTokens was given, see KEPT_POSTINGS_BYTES). */
  readonly keptBytes: () => number;
}

/**
 * Bytes of postings rows a restored dictionary holds, the least recently used dropped first. Without a
 * bound every row a connection read stayed for its life: on a long-lived page reader up to the
 * postings' 76 MB at 5M rows. Measured on the shared 5M case (rows of 256 KiB): a common word reads
 * 6-26 rows (`jane` 6, `gmx` 7, `com` 21, `web` 26: 1.5-6.5 MiB), so 16 MiB holds the word being
 * searched and the rows of the last few, which a search's next pages ask again; twelve common words
 * together read 104 rows (26 MiB).
 */
export const KEPT_POSTINGS_BYTES = 16 * 1024 * 1024;

const restored = new WeakMap<Database, KeptTokens>();

/** A Uint32Array over a blob's bytes (a copy when they are not 4-aligned); null when the length is not a multiple of 4. */
function u32(data: Buffer): Uint32Array | null {
  return data.length % 4 !== 0 ? null : uint32View(data);
}

/**
 * Takes the kept dictionary of this records generation when it was built at `coverage` from the
 * vocabulary as it is now; true when taken. Call inside the caller's read transaction.
 */
export function restoreWordTokens(
  db: Database,
  table: string,
  coverage: number,
  capBytes = KEPT_POSTINGS_BYTES,
): boolean {
  restored.delete(db);
  const generation = recordsGeneration(db);
  const part = (name: string): Buffer | null => {
    const p = readChunks(db, table, generation, name).get(name);
    return p === undefined || p.upto !== coverage ? null : p.data;
  };
  const head = part(WORDS_HEAD);
  const text = part(TEXT);
  const offsetBytes = part(OFFSETS);
  const otherBytes = part(OTHER);
  if (head === null || text === null || offsetBytes === null || otherBytes === null) return false;
  const { vocabMax, postings, postIds } = JSON.parse(head.toString('utf8')) as {
    vocabMax: number;
    postings: number;
    postIds: number;
  };
  const offsets = u32(offsetBytes);
  const other = u32(otherBytes);
  if (offsets === null || other === null || vocabMax !== vocabularyMax(db) || !(postIds > 0)) return false;
  if (offsets.length === 0 || offsets[offsets.length - 1] !== postings) return false;
  const read = db.prepare(`SELECT upto, data FROM ${table} WHERE generation = ? AND name = ?`).raw();
  // Least recently used first (a Map iterates in insertion order; a hit is moved to the end). A row
  // handed out as a view stays valid when dropped here: its caller holds the buffer.
  const rows = new Map<number, Uint32Array | null>();
  let held = 0;
  const row = (i: number): Uint32Array | null => {
    let got = rows.get(i);
    if (got !== undefined) {
      rows.delete(i);
      rows.set(i, got);
      return got;
    }
    const r = read.get(generation, nameOf(POST, i)) as [number, Buffer] | undefined;
    const want = Math.min(postIds, postings - i * postIds);
    got = r === undefined || r[0] !== coverage ? null : u32(r[1]);
    if (got !== null && got.length !== want) got = null;
    rows.set(i, got);
    held += got?.byteLength ?? 0;
    for (const [k, v] of rows) {
      if (held <= capBytes || k === i) break;
      rows.delete(k);
      held -= v?.byteLength ?? 0;
    }
    return got;
  };
  restored.set(db, {
    upto: coverage,
    vocabMax,
    text: text.toString('utf8'),
    offsets,
    other,
    postings: (from, to) => {
      if (from === to) return new Uint32Array(0);
      const first = Math.floor(from / postIds);
      const last = Math.floor((to - 1) / postIds);
      if (first === last) return row(first)?.subarray(from - first * postIds, to - first * postIds) ?? null;
      const out = new Uint32Array(to - from);
      for (let i = first; i <= last; i++) {
        const r = row(i);
        if (r === null) return null;
        const lo = Math.max(from, i * postIds);
        const hi = Math.min(to, (i + 1) * postIds);
        out.set(r.subarray(lo - i * postIds, hi - i * postIds), lo - from);
      }
      return out;
    },
    keptBytes: () => held,
  });
  return true;
}

/** This connection's restored dictionary, or null. */
export function wordTokens(db: Database): KeptTokens | null {
  return restored.get(db) ?? null;
}

/** Whether `t` describes the vocabulary now (its coverage and largest id). */
export function tokensFit(db: Database, t: KeptTokens, coverage: number): boolean {
  return t.upto === coverage && t.vocabMax === vocabularyMax(db);
}

/**
 * The vocabulary ids holding `word` (LIKE '%word%'), split into message_to's (`addresses`, ascending)
 * and the others' (`others`, ascending); null when the word is not one the dictionary answers, or a
 * row of its postings cannot be read.
 */
export function keptWordIds(
  t: KeptTokens,
  word: string,
): { addresses: Uint32Array; others: Uint32Array } | null {
  const tokens = tokensHolding(t.text, word);
  if (tokens === null) return null;
  const ids = unionPostings(tokens, (k) => t.postings(t.offsets[k], t.offsets[k + 1]));
  if (ids === null) return null;
  const addresses = new Uint32Array(ids.length);
  const others = new Uint32Array(Math.min(ids.length, t.other.length >>> 1));
  const other = t.other;
  let a = 0;
  let o = 0;
  let j = 0;
  // Both ascending: one merge pass sets the other columns' ids apart.
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    while (j < other.length && other[j] < id) j += 2;
    if (j < other.length && other[j] === id) others[o++] = id;
    else addresses[a++] = id;
  }
  return { addresses: addresses.subarray(0, a), others: others.slice(0, o) };
}
