/**
 * A file that appears whole or not at all: bytes go to a temp file in the target's folder (same
 * file system, so the final rename is atomic) and only `commit` moves it into place. `discard`
 * removes the temp file, so a cancelled or failed export leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** fsync of a folder; Windows cannot open one for that (and NTFS journals the rename), so it is skipped there. */
async function syncFolder(dir: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(dir, 'r');
  } catch (err) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')) return;
    throw err;
  }
  try {
    await fh.sync();
  } catch (err) {
    // Some file systems (and Windows) do not support fsync on a folder; the data itself is synced.
    if (!['EINVAL', 'EPERM', 'EBADF', 'ENOTSUP'].includes((err as NodeJS.ErrnoException).code ?? ''))
      throw err;
  } finally {
    await fh.close();
  }
}

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

  /**
   * Makes the file durable, then moves it into place: the data is synced before the rename (else a
   * power cut soon after could leave the target renamed but empty), and the folder before and after
   * it, so the temp file's entry and then the rename itself are on disk when commit resolves.
   */
  async commit(): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = null;
    await this.fh.sync();
    await this.close();
    const dir = path.dirname(this.target);
    await syncFolder(dir);
    await rename(this.tempPath, this.target);
    await syncFolder(dir);
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
