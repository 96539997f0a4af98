/**
 * A file that appears whole or not at all: bytes go to a temp file in the target's folder (same
 * file system, so the final rename is atomic) and only `commit` moves it into place. `discard`
 * removes the temp file, so a cancelled or failed export leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export class AtomicFile {
  private pending: Promise<unknown> | null = null;
  private closed = false;
  bytes = 0;

  private constructor(
    readonly target: string,
    readonly tempPath: string,
    private readonly fh: FileHandle,
  ) {}

  static async create(target: string): Promise<AtomicFile> {
    const tempPath = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.part`,
    );
    const fh = await open(tempPath, 'wx');
    return new AtomicFile(target, tempPath, fh);
  }

  /**
   * Queues one chunk. At most one write is in flight: the next call waits for it, so encoding and
   * reading the next rows overlap the disk write without unbounded memory.
   */
  async write(chunk: Buffer): Promise<void> {
    if (this.pending) await this.pending;
    // Explicit positions, so writing after truncate() starts at 0 again.
    this.pending = this.fh.write(chunk, 0, chunk.length, this.bytes);
    this.bytes += chunk.length;
  }

  /** Empties the temp file again (the exporter restarts on its fallback path). */
  async truncate(): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = null;
    await this.fh.truncate(0);
    this.bytes = 0;
  }

  async commit(): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = null;
    // No fsync: it would double the export time, and atomicity against cancel/error comes from the
    // rename alone (the spec's promise); a power cut mid-export may still leave an empty target.
    await this.close();
    await rename(this.tempPath, this.target);
  }

  async discard(): Promise<void> {
    try {
      if (this.pending) await this.pending;
    } catch {
      // The write error is already being reported by the caller; removing the file matters more.
    }
    this.pending = null;
    await this.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}
