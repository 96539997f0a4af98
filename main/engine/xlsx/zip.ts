/**
 * The workbook's zip container, read through its central directory (yauzl): entries are found by
 * name wherever they sit in the file, so a zip whose parts come in any order reads the same.
 */
import { pipeline, type Readable } from 'node:stream';
import { createInflateRaw, type ZlibOptions } from 'node:zlib';

const AHEAD = 4;
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export class WorkbookZip {
  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: ReadonlyMap<string, Entry>,
  ) {}

  static async open(file: string): Promise<WorkbookZip> {
    const zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: true }, (err, z) =>
        err ? reject(err) : resolve(z),
      ),
    );
    const entries = new Map<string, Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: Entry) => {
        // Part names are case-insensitive (OPC); some writers add a leading slash.
        entries.set(e.fileName.replace(/^\//, '').toLowerCase(), e);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    return new WorkbookZip(zip, entries);
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** Uncompressed and compressed size of a part (0 when missing). */
  sizes(name: string): { readonly raw: number; readonly packed: number } {
    const e = this.entries.get(name.toLowerCase());
    return { raw: e?.uncompressedSize ?? 0, packed: e?.compressedSize ?? 0 };
  }

  async stream(name: string): Promise<Readable> {
    const e = this.entry(name);
    return new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStream(e, (err, s) => (err ? reject(err) : resolve(s))),
    );
  }

  /**
   * A big part's bytes inflated `chunkSize` at a time by our own zlib stream over the raw deflate
   * bytes: yauzl's inflate keeps zlib's 16 KiB default and has no option for it (see
   * import-worker.ts for what the size changed). The part's size is checked as yauzl checks it.
   */
  async *chunks(name: string, chunkSize: number): AsyncGenerator<Buffer> {
    const e = this.entry(name);
    if (e.compressionMethod !== 8 || e.isEncrypted()) {
      yield* (await this.stream(name)) as AsyncIterable<Buffer>;
      return;
    }
    const raw = await new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStream(e, { decodeFileData: false }, (err, s) => (err ? reject(err) : resolve(s))),
    );
    // Node's zlib streams take the stream options too (not in @types): a few chunks may be inflated
    // ahead, on the thread pool, while the parse runs; with the default (16 KiB) each chunk waited.
    const options = { chunkSize, readableHighWaterMark: AHEAD * chunkSize } as ZlibOptions;
    const inflate = pipeline(raw, createInflateRaw(options), () => undefined);
    const expected = e.uncompressedSize;
    let got = 0;
    try {
      for await (const c of inflate as AsyncIterable<Buffer>) {
        got += c.length;
        if (got > expected)
          throw new Error(`too many bytes in the stream. expected ${expected}. got at least ${got}`);
        yield c;
      }
    } finally {
      inflate.destroy();
    }
    if (got < expected)
      throw new Error(`not enough bytes in the stream. expected ${expected}. got only ${got}`);
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name.toLowerCase());
    if (!e) throw new Error(`the workbook has no part ${name}`);
    return e;
  }

  /** A whole (small) part as text; undefined when missing. */
  async text(name: string): Promise<string | undefined> {
    if (!this.has(name)) return undefined;
    const chunks: Buffer[] = [];
    for await (const c of await this.stream(name)) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  close(): void {
    this.zip.close();
  }
}

/** Resolves a relationship target against the folder of the part that names it (`/x` is from the root). */
export function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}
