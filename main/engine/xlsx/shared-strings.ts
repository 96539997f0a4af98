/**
 * The shared-string table (`xl/sharedStrings.xml`), read as a stream. Excel writes every text cell
 * there, so a 1M-row report holds millions of mostly unique strings: more than the parse worker's
 * small heap takes. The first strings stay in memory up to a budget; the rest spill to a temp file
 * (UTF-8 plus an offset table outside the JS heap) and are read back through a small block cache.
 * Sheets refer to the table mostly in order of first use, so reads are nearly sequential.
 *
 * The spilled strings' end offsets are kept in fixed chunks of 32-bit offsets relative to each chunk's
 * start: one growing Float64Array held 8 bytes per string and doubled by copying, so at the bench's
 * 2M-row case (13.8M strings) it alone took 128 MB plus a 64 MB copy at its last growth (peak RSS 333
 * MB); now 4 bytes per string and no copy (see README, 13e).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SstBytes } from './sst-bytes';
import type { WorkbookZip } from './zip';

/** In-memory budget, counted as characters plus a per-string overhead. */
export const DEFAULT_MEMORY_BUDGET = 12 * 1024 * 1024;
const STRING_OVERHEAD = 32;
const BLOCK = 1 << 20;
const CACHE_BLOCKS = 4;

/** Spilled strings per offset chunk, and the narrow array a chunk starts with (widened to 64-bit past its range). */
export interface OffsetLayout {
  readonly chunk: number;
  readonly narrow: Uint16ArrayConstructor | Uint32ArrayConstructor;
}
const OFFSETS: OffsetLayout = { chunk: 1 << 16, narrow: Uint32Array };

export class SharedStrings {
  private readonly mem: string[] = [];
  private used = 0;
  private spill: { dir: string; fd: number; size: number } | null = null;
  /** End of each spilled string, relative to its chunk's base (the start of the chunk's first string). */
  private readonly ends: (Uint16Array | Uint32Array | Float64Array)[] = [];
  private readonly bases: number[] = [];
  /** The chunk being filled, its base, the first offset its array cannot hold, and the next slot in it. */
  private cur: Uint16Array | Uint32Array | Float64Array = new Float64Array(0);
  private curBase = 0;
  private curLimit = 0;
  private slot = 0;
  private spilled = 0;
  private pending = Buffer.allocUnsafe(BLOCK);
  private pendingBytes = 0;
  private readonly cache = new Map<number, Buffer>();
  /** The table part being read as the sheets ask for its strings (open / more), or null. */
  private source: { it: AsyncIterator<Buffer>; scanner: SstBytes } | null = null;

  constructor(
    private readonly budget = DEFAULT_MEMORY_BUDGET,
    private readonly layout: OffsetLayout = OFFSETS,
  ) {}

  get count(): number {
    return this.mem.length + this.spilled;
  }

  /** How many strings went to disk (for tests and the bench). */
  get spilledCount(): number {
    return this.spilled;
  }

  add(s: string): void {
    if (this.spill === null && this.used + s.length + STRING_OVERHEAD <= this.budget) {
      this.mem.push(s);
      this.used += s.length + STRING_OVERHEAD;
      return;
    }
    this.room(s.length * 3);
    this.ended(this.pending.write(s, this.pendingBytes));
  }

  /**
   * A string given as its UTF-8 bytes `src[from, to)`: once the table spills, the bytes are copied
   * as they are, with no string made and encoded again (sst-bytes.ts; the spilled entries are most
   * of a big table).
   */
  addBytes(src: Buffer, from: number, to: number): void {
    if (this.spill === null) {
      this.add(src.toString('utf8', from, to));
      return;
    }
    this.room(to - from);
    // Byte by byte for the usual short entry: Buffer.copy's argument checks were 6 % of the load.
    if (to - from > 64) this.ended(src.copy(this.pending, this.pendingBytes, from, to));
    else {
      const dst = this.pending;
      let o = this.pendingBytes;
      for (let k = from; k < to; k++) dst[o++] = src[k];
      this.ended(to - from);
    }
  }

  /** Makes room for up to `bytes` more in the pending block and opens the string's offset slot. */
  private room(bytes: number): void {
    if (this.spill === null) {
      const dir = mkdtempSync(path.join(tmpdir(), 'di-sst-'));
      this.spill = { dir, fd: openSync(path.join(dir, 'strings'), 'w+'), size: 0 };
    }
    // Written straight into the pending block: a Buffer per string was most of the load's cost.
    if (this.pendingBytes + bytes > BLOCK) this.flushPending();
    if (bytes > BLOCK) this.pending = Buffer.alloc(bytes);
    const at = this.spill.size + this.pendingBytes;
    if (this.slot === this.layout.chunk) this.slot = 0;
    if (this.slot === 0) {
      this.cur = new this.layout.narrow(this.layout.chunk);
      this.curBase = at;
      this.curLimit = 2 ** (8 * this.cur.BYTES_PER_ELEMENT);
      this.ends.push(this.cur);
      this.bases.push(at);
    }
  }

  /** Records the end of the string just written (`written` bytes into the pending block). */
  private ended(written: number): void {
    this.pendingBytes += written;
    const rel = this.spill!.size + this.pendingBytes - this.curBase;
    // Only strings of gigabytes overall in one chunk get here; the chunk then keeps 64-bit offsets.
    if (rel >= this.curLimit) {
      this.cur = Float64Array.from(this.cur);
      this.curLimit = Infinity;
      this.ends[this.ends.length - 1] = this.cur;
    }
    this.cur[this.slot++] = rel;
    this.spilled++;
  }

  private flushPending(): void {
    if (this.spill === null || this.pendingBytes === 0) return;
    writeSync(this.spill.fd, this.pending, 0, this.pendingBytes, this.spill.size);
    this.spill.size += this.pendingBytes;
    this.pendingBytes = 0;
    // A cached block may end where the file ended before this write.
    this.cache.clear();
    if (this.pending.length > BLOCK) this.pending = Buffer.allocUnsafe(BLOCK);
  }

  /** The string at a 0-based index; undefined when the table has no such entry. */
  get(i: number): string | undefined {
    if (i < this.mem.length) return this.mem[i];
    const j = i - this.mem.length;
    if (j >= this.spilled || j < 0 || this.spill === null) return undefined;
    const { chunk } = this.layout;
    const c = Math.floor(j / chunk);
    const slot = j % chunk;
    const base = this.bases[c];
    const start = slot === 0 ? base : base + this.ends[c][slot - 1];
    const end = base + this.ends[c][slot];
    // Strings added since the last flush are read from the pending block: flushing there (a short write
    // and a dropped cache each time) would happen every few rows while the table is read beside a sheet.
    if (end > this.spill.size)
      return this.pending.toString('utf8', start - this.spill.size, end - this.spill.size);
    const b = Math.floor(start / BLOCK);
    if (Math.floor((end - 1) / BLOCK) !== b || end - start > BLOCK) {
      const buf = Buffer.alloc(end - start);
      readSync(this.spill.fd, buf, 0, buf.length, start);
      return buf.toString('utf8');
    }
    let block = this.cache.get(b);
    if (block === undefined) {
      block = Buffer.alloc(BLOCK);
      const n = readSync(this.spill.fd, block, 0, BLOCK, b * BLOCK);
      block = block.subarray(0, n);
      if (this.cache.size >= CACHE_BLOCKS) this.cache.delete(this.cache.keys().next().value as number);
      this.cache.set(b, block);
    }
    return block.toString('utf8', start - b * BLOCK, end - b * BLOCK);
  }

  /** Reads the table part (its first `limit` strings); strings are the concatenated `<t>` runs of each `<si>`, phonetic runs left out. */
  async load(zip: WorkbookZip, part: string, limit = Infinity, chunkSize = 16 * 1024): Promise<void> {
    this.open(zip, part, chunkSize);
    try {
      await this.more(limit - 1);
    } finally {
      // Stopped before the end (the probe needs only the table's first strings) or failed.
      await this.stop();
    }
    this.flushPending();
  }

  /**
   * Starts reading the table part, to be read on as the sheet refers to its strings (`more`): the
   * whole table before the first row kept the importing thread idle for that time (19d).
   */
  open(zip: WorkbookZip, part: string, chunkSize: number): void {
    this.source = { it: zip.chunks(part, chunkSize)[Symbol.asyncIterator](), scanner: new SstBytes(this) };
  }

  /** True while an opened table has strings not read yet. */
  get loading(): boolean {
    return this.source !== null;
  }

  /** Reads the opened table on until it holds index `i` or ends (`Infinity`: to its end). */
  async more(i: number): Promise<void> {
    const src = this.source;
    if (src === null) return;
    while (this.count <= i) {
      const step = await src.it.next();
      if (step.done === true) {
        this.source = null;
        src.scanner.end();
        this.flushPending();
        return;
      }
      src.scanner.write(step.value);
    }
  }

  /** Ends the opened table's inflate stream before its end (none open: nothing to do). */
  private async stop(): Promise<void> {
    const src = this.source;
    this.source = null;
    await src?.it.return?.(undefined);
  }

  close(): void {
    // Ends the table's inflate stream when a sheet failed before the table was read to its end.
    void this.stop();
    if (this.spill === null) return;
    closeSync(this.spill.fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = null;
    this.cache.clear();
  }
}
