/**
 * The CLI's `query --sort message_from` under a free word (a bare connection: no value codes, no
 * reader): the search's id set (the kept address map and token dictionary, match-ids.ts) ordered by
 * the kept copy of each record's sender code (memory-cache.ts `values.sender`, `values.senders`, as
 * sender-count.ts reads them), and only the page's own records read.
 *
 * Why (5M rows, copy of the shared case, under load): no index holds the sender, so the command's
 * statement read every record and sorted the matches (`jane`: 7.0-9.0 s end to end, `-jane` 8.4-17.7 s;
 * 1.8 GB RSS of mapped pages); sorting the word's 416k ids by SQL after finding them still looked each
 * record up (3.3-5.9 s). The sender codes are 2 bytes a record (10 MB).
 *
 * Exact as sender-count.ts is: the copy is of the current records generation, within record_facts'
 * coverage, and covers every record (an append above it: null, the caller's statement answers). The
 * distinct senders are ordered by SQLite itself (BINARY, NULL first ascending), ties by id as
 * resolveSort's tie-break.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, RecordRow, SortKey } from '../../../common/contract';
import { hasKeptTable, MEMORY_CACHE_TABLE } from './memory-cache';
import { readChunks } from './memory-chunks';
import { keptCodes, keptSenders } from './memory-install';
import { isAscending } from './id-lists';
import { findMatchIds } from './match-ids';
import { matchIds } from './paging';
import { plainSearch } from './plain-search';
import { factsCoverage } from './record-facts';
import { maxRecordId, recordsGeneration } from './records-generation';
import { RECORD_SELECT, resolveSort } from './sql';

/** Whether the search holds a free word (the searches whose sets the kept map and dictionary find). */
function hasWord(filter: FilterModel): boolean {
  const search = plainSearch(filter);
  return search !== null && search.terms.some((t) => t.kind === 'text');
}

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * A search of negated free words alone (`-jane`): every record (a code other than 0, which marks an
 * id without a record) but the words' sets. Its set found whole took 2.9 s of CPU at 5M rows (every
 * id read from record_facts, then the merge); the word's set and this pass ~0.3 s.
 */
function negatedOnly(
  db: Database,
  filter: FilterModel,
  sender: Uint16Array | Uint32Array,
): { list: Uint32Array } | null {
  const search = plainSearch(filter);
  // plainSearch: no conditions, no time bounds.
  if (search === null || search.terms.length === 0) return null;
  if (!search.terms.every((t) => t.kind === 'text' && t.negate)) return null;
  const out = new Uint8Array(sender.length);
  for (const t of search.terms) {
    const word = findMatchIds(db, { q: search.q.slice(t.start + 1, t.end) }, MAX);
    if (word === null) return null;
    for (let i = 0; i < word.list.length; i++) if (word.list[i] < out.length) out[word.list[i]] = 1;
  }
  const list = new Uint32Array(sender.length);
  let n = 0;
  for (let id = 1; id < sender.length; id++) if (sender[id] !== 0 && out[id] === 0) list[n++] = id;
  return { list: list.subarray(0, n) };
}

/** Rank per sender code in SQLite's order of message_from (NULL, code 1, first), or null. */
function senderRanks(db: Database, senders: readonly (string | null)[]): Uint32Array {
  const named: string[] = [];
  const codes: number[] = [];
  for (let c = 2; c < senders.length; c++) {
    const s = senders[c];
    if (s !== null) {
      named.push(s);
      codes.push(c);
    }
  }
  const order = db
    .prepare('SELECT key FROM json_each(?) ORDER BY value, key')
    .pluck()
    .all(JSON.stringify(named)) as number[];
  const rank = new Uint32Array(senders.length);
  // Code 1 (no sender) and any code without a name rank 0: NULL sorts first ascending.
  order.forEach((k, i) => (rank[codes[k]] = i + 1));
  return rank;
}

/**
 * The first `limit` rows of `filter` by message_from (`sort` of that column alone), or null when this
 * path does not answer (another sort, no free word, no current copy, records past it). Call inside
 * the caller's read transaction.
 */
export function senderSortedRows(
  db: Database,
  filter: FilterModel,
  sort: readonly SortKey[],
  limit: number,
): RecordRow[] | null {
  const keys = resolveSort(sort);
  if (keys.length !== 2 || keys[0].expr !== 'message_from' || !hasWord(filter) || !hasKeptTable(db))
    return null;
  const parts = readChunks(db, MEMORY_CACHE_TABLE, recordsGeneration(db), 'values.sender');
  const codes = parts.get('values.sender');
  const names = parts.get('values.senders');
  if (codes === undefined || names === undefined || codes.upto !== names.upto) return null;
  const upto = codes.upto;
  if (upto < 1 || upto > factsCoverage(db) || maxRecordId(db) > upto) return null;
  const sender = keptCodes(codes.data, upto + 1);
  const senders = keptSenders(names.data);
  if (sender === null || senders === null) return null;
  const found = (negatedOnly(db, filter, sender) ?? matchIds(db, filter) ?? findMatchIds(db, filter, MAX))
    ?.list;
  if (found === undefined) return null;
  // The sets come ascending (match-ids.ts); the tie-break by id relies on it, so it is checked.
  const ids = isAscending(found) ? found : found.slice().sort();
  const rank = senderRanks(db, senders);
  const desc = keys[0].dir === 'desc';
  const top = senders.length;
  // Per rank, the set's ids in it; then the ranks in the sort's direction until `limit` ids, each
  // rank's ids ascending (ids are ascending in the set) or descending.
  const count = new Uint32Array(top + 1);
  for (let i = 0; i < ids.length; i++) {
    const c = sender[ids[i]];
    if (c === undefined || c >= top) return null;
    count[rank[c]]++;
  }
  // Each rank in the sort's direction takes what the page still needs of it (all but the last whole).
  const quota = new Uint32Array(top + 1);
  const order: number[] = [];
  let taken = 0;
  for (let r = desc ? top : 0; taken < limit && r >= 0 && r <= top; r += desc ? -1 : 1) {
    if (count[r] === 0) continue;
    quota[r] = Math.min(count[r], limit - taken);
    order.push(r);
    taken += quota[r];
  }
  // Its first ids ascending (its last descending): one pass in that direction, stopped once every
  // quota is met (a rank of a million ids, `-jane` at 5M rows, is not collected whole).
  const byRank = new Map<number, number[]>(order.map((r) => [r, []]));
  let left = taken;
  for (let k = 0; left > 0 && k < ids.length; k++) {
    const id = ids[desc ? ids.length - 1 - k : k];
    const r = rank[sender[id]];
    if (quota[r] === 0) continue;
    quota[r]--;
    left--;
    byRank.get(r)?.push(id);
  }
  const picked = order.flatMap((r) => byRank.get(r) ?? []);
  const rows = db
    .prepare(`SELECT ${RECORD_SELECT} FROM records WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(picked)) as RecordRow[];
  const at = new Map(picked.map((id, i) => [id, i]));
  return rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
}
