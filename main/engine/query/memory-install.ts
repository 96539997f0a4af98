/**
 * Takes kept copies (memory-cache.ts) as a reader's memories once their arrays are read: the checks
 * that make a copy fit the workspace as it is now, and the typed arrays over the blobs' bytes. Shared
 * by the restore in one go (memory-cache.ts restoreMemories: the CLI, a refresh) and the one in steps
 * while the aggregate reader answers (memory-stages.ts).
 */
import type { Database } from 'better-sqlite3';
import { restoreAddressMemory } from './address-memory';
import { restoreFactsMemory } from './facts-memory';
import type { Part } from './memory-chunks';
import type { MemoryName } from './memory-pending';
import { factsCoverage } from './record-facts';
import { searchIndexCoverage } from './search-index';
import { restoreValuesMemory } from './values-memory';

/** The parts (`<memory>.<array>`) each memory is kept as; all of them or none is taken. */
export const MEMORY_PARTS: Readonly<Record<MemoryName, readonly string[]>> = {
  facts: ['facts.t', 'facts.cid'],
  address: ['address.vid'],
  values: ['values.size', 'values.sender', 'values.senders'],
};

/** The order they are restored in: the facts serve every id set's facets, `from:` and `size` wait last. */
export const MEMORY_ORDER: readonly MemoryName[] = ['facts', 'address', 'values'];

/**
 * `data` as a typed array of `n` elements of `width` bytes: over the blob's own memory when it is
 * aligned (a large Buffer has an ArrayBuffer of its own), else a copy. A second copy of every byte
 * cost as much as the read itself (fresh memory is faulted in page by page: 1M rows, 24 MB, under
 * load: read 170-350 ms, copy 80-170 ms).
 */
function view<A extends Float64Array | Uint16Array | Uint32Array>(
  data: Buffer,
  n: number,
  make: (buffer: ArrayBuffer, offset: number, n: number) => A,
  width: number,
): A {
  if (data.byteOffset % width === 0 && data.buffer instanceof ArrayBuffer)
    return make(data.buffer, data.byteOffset, n);
  const copy = new ArrayBuffer(n * width);
  new Uint8Array(copy).set(data);
  return make(copy, 0, n);
}

/** The blob as n Float64 values, or null when its length does not fit. */
function floats(data: Buffer, n: number): Float64Array | null {
  if (data.length !== n * 8) return null;
  return view(data, n, (b, o, k) => new Float64Array(b, o, k), 8);
}

/** The blob as n Uint16 or Uint32 codes (by its length), or null when its length fits neither. */
export function keptCodes(data: Buffer, n: number): Uint16Array | Uint32Array | null {
  if (data.length === n * 2) return view(data, n, (b, o, k) => new Uint16Array(b, o, k), 2);
  if (data.length === n * 4) return view(data, n, (b, o, k) => new Uint32Array(b, o, k), 4);
  return null;
}

/** The parts' common bound when all are present, of one bound, and within `coverage`; else null. */
function boundOf(
  parts: ReadonlyMap<string, Part>,
  names: readonly string[],
  coverage: number,
): number | null {
  const found = names.map((n) => parts.get(n));
  const upto = found[0]?.upto;
  if (upto === undefined || upto < 1 || upto > coverage) return null;
  return found.every((p) => p !== undefined && p.upto === upto && Buffer.isBuffer(p.data)) ? upto : null;
}

/**
 * The kept sender dictionary (JSON: index = sender code, 0 and 1 for none), or null when the copy is
 * damaged or of another shape: shared by the restore and the count from the kept codes
 * (sender-count.ts), neither of which may throw on a bad copy (both fall back to their loads or SQL).
 */
export function keptSenders(data: Buffer): (string | null)[] | null {
  let v: unknown;
  try {
    v = JSON.parse(data.toString('utf8')) as unknown;
  } catch {
    return null;
  }
  const ok =
    Array.isArray(v) &&
    v.length >= 2 &&
    v[0] === null &&
    v[1] === null &&
    v.every((s) => s === null || typeof s === 'string');
  return ok ? (v as (string | null)[]) : null;
}

/**
 * Takes memory `name` from `parts` (read for `generation`, the current one: the caller checks it in
 * the same read transaction) when its parts fit; returns its bound, or null when it was not taken.
 * `part` 'timeless': the facts mirror from facts.cid alone, without times (restoreFactCombos);
 * 'sizeless' / 'senderless': the values' mirror without sizes or without senders (restoreValueSenders,
 * restoreValueSizes).
 */
export function installMemory(
  db: Database,
  generation: string,
  parts: ReadonlyMap<string, Part>,
  name: MemoryName,
  part: 'whole' | 'timeless' | 'sizeless' | 'senderless' = 'whole',
): number | null {
  const data = (part: string): Buffer => (parts.get(part) as Part).data;
  if (name === 'values' && part === 'sizeless') {
    const su = boundOf(parts, ['values.sender', 'values.senders'], factsCoverage(db));
    const sender = su === null ? null : keptCodes(data('values.sender'), su + 1);
    const senders = keptSenders(data('values.senders'));
    if (su === null || sender === null || senders === null) return null;
    restoreValuesMemory(db, { generation, upto: su, size: null, sender, senders });
    return su;
  }
  if (name === 'values' && part === 'senderless') {
    const su = boundOf(parts, ['values.size'], factsCoverage(db));
    const size = su === null ? null : floats(data('values.size'), su + 1);
    if (su === null || size === null) return null;
    restoreValuesMemory(db, { generation, upto: su, size, sender: null, senders: [null, null] });
    return su;
  }
  if (name === 'facts' && part === 'timeless') {
    // The combo ids alone, read for counts by combo (memory-cache.ts restoreFactCombos).
    const fu = boundOf(parts, ['facts.cid'], factsCoverage(db));
    const cid = fu === null ? null : keptCodes(data('facts.cid'), fu + 1);
    if (fu === null || cid === null) return null;
    restoreFactsMemory(db, { generation, upto: fu, t: null, cid });
    return fu;
  }
  if (name === 'facts') {
    const fu = boundOf(parts, MEMORY_PARTS.facts, factsCoverage(db));
    if (fu === null) return null;
    const t = floats(data('facts.t'), fu + 1);
    const cid = keptCodes(data('facts.cid'), fu + 1);
    if (t === null || cid === null) return null;
    restoreFactsMemory(db, { generation, upto: fu, t, cid });
    return fu;
  }
  if (name === 'address') {
    const au = boundOf(parts, MEMORY_PARTS.address, searchIndexCoverage(db));
    if (au === null) return null;
    const vid = keptCodes(data('address.vid'), au + 1);
    if (!(vid instanceof Uint32Array)) return null;
    restoreAddressMemory(db, { generation, upto: au, vid });
    return au;
  }
  const vu = boundOf(parts, MEMORY_PARTS.values, factsCoverage(db));
  if (vu === null) return null;
  const size = floats(data('values.size'), vu + 1);
  const sender = keptCodes(data('values.sender'), vu + 1);
  const senders = keptSenders(data('values.senders'));
  if (size === null || sender === null || senders === null) return null;
  restoreValuesMemory(db, { generation, upto: vu, size, sender, senders });
  return vu;
}
