/**
 * The shared-string table (`xl/sharedStrings.xml`), read as a stream. Excel writes every text cell
 * there, so a 1M-row report holds millions of mostly unique strings: more than the parse worker's
 * small heap takes. The first strings stay in memory up to a budget; the rest spill to a temp file
 * (UTF-8 plus an offset table outside the JS heap) and are read back through a small block cache.
 * Sheets refer to the table mostly in order of first use, so reads are nearly sequential.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SstScanner } from './sst-scan';
import type { WorkbookZip } from './zip';

/** In-memory budget, counted as characters plus a per-string overhead. */
export const DEFAULT_MEMORY_BUDGET = 12 * 1024 * 1024;
const STRING_OVERHEAD = 32;
const BLOCK = 1 << 20;
const CACHE_BLOCKS = 4;

export class SharedStrings {
  private readonly mem: string[] = [];
  private used = 0;
  private spill: { dir: string; fd: number; size: number } | null = null;
  private offsets = new Float64Array(1024);
  private spilled = 0;
  private pending = Buffer.allocUnsafe(BLOCK);
  private pendingBytes = 0;
  private readonly cache = new Map<number, Buffer>();

  constructor(private readonly budget = DEFAULT_MEMORY_BUDGET) {}

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
    if (this.spill === null) {
      const dir = mkdtempSync(path.join(tmpdir(), 'di-sst-'));
      this.spill = { dir, fd: openSync(path.join(dir, 'strings'), 'w+'), size: 0 };
    }
    // Written straight into the pending block: a Buffer per string was most of the load's cost.
    if (this.pendingBytes + s.length * 3 > BLOCK) this.flushPending();
    if (s.length * 3 > BLOCK) this.pending = Buffer.alloc(s.length * 3);
    if (this.spilled + 1 >= this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    const at = this.spill.size + this.pendingBytes;
    this.pendingBytes += this.pending.write(s, this.pendingBytes);
    this.offsets[this.spilled] = at;
    this.spilled++;
    this.offsets[this.spilled] = this.spill.size + this.pendingBytes;
  }

  private flushPending(): void {
    if (this.spill === null || this.pendingBytes === 0) return;
    writeSync(this.spill.fd, this.pending, 0, this.pendingBytes, this.spill.size);
    this.spill.size += this.pendingBytes;
    this.pendingBytes = 0;
    if (this.pending.length > BLOCK) this.pending = Buffer.allocUnsafe(BLOCK);
  }

  /** The string at a 0-based index; undefined when the table has no such entry. */
  get(i: number): string | undefined {
    if (i < this.mem.length) return this.mem[i];
    const j = i - this.mem.length;
    if (j >= this.spilled || j < 0 || this.spill === null) return undefined;
    const start = this.offsets[j];
    const end = this.offsets[j + 1];
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
  async load(zip: WorkbookZip, part: string, limit = Infinity): Promise<void> {
    const scanner = new SstScanner((s) => this.add(s));
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of await zip.stream(part)) {
      scanner.write(decoder.decode(chunk as Buffer, { stream: true }));
      // Leaving the loop destroys the stream: the probe needs only the table's first strings.
      if (this.count >= limit) break;
    }
    if (this.count < limit) {
      scanner.write(decoder.decode());
      scanner.end();
    }
    this.flushPending();
  }

  close(): void {
    if (this.spill === null) return;
    closeSync(this.spill.fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = null;
    this.cache.clear();
  }
}
