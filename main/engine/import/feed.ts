/** The importing thread's side of the parse worker: an async queue of batches with acknowledgements. */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors';
import { CellRows } from '../xlsx/cell-batches';
import type { FromParser, ParserInit } from './feed-protocol';

export type Batch = Extract<FromParser, { type: 'batch' }>;
export type FeedItem = Batch | Extract<FromParser, { type: 'end' }> | { readonly type: 'encoding' };

export class ParseFeed {
  private readonly worker: Worker;
  private readonly queue: FeedItem[] = [];
  private waiting: { resolve: (item: FeedItem) => void; reject: (err: Error) => void } | null = null;
  private failure: Error | null = null;
  private closed = false;
  /** An Excel workbook's rows arrive as cells and are built into batches here (cell-batches.ts). */
  private readonly cells: CellRows | null;

  constructor(init: ParserInit) {
    // Its live data is a few MB (at most MAX_IN_FLIGHT batches). The old-space cap is a limit, not a
    // reservation: only a record near the 64 MiB limit (held, joined and split, two bytes per
    // character at worst) needs that much, and then only while that record is in flight.
    // An Excel workbook has its own producer of the same batches (main/engine/xlsx/import-worker.ts).
    const script = init.xlsx
      ? path.join(__dirname, '..', 'xlsx', 'import-worker.js')
      : path.join(__dirname, 'parse-worker.js');
    this.worker = new Worker(script, {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: 768, maxYoungGenerationSizeMb: 16 },
    });
    this.cells = init.xlsx ? new CellRows(init.xlsx.sheets) : null;
    this.worker.on('message', (msg: FromParser) => {
      if (msg.type === 'error')
        this.fail(new EngineError('IMPORT_FAILED', `Could not read the file: ${msg.message}`));
      else if (msg.type === 'cells') {
        try {
          if (this.cells === null) throw new Error('cells from a CSV parse worker');
          this.deliver(this.cells.batch(msg));
        } catch (err) {
          this.fail(err instanceof Error ? err : new Error(String(err)));
        }
      } else if (msg.type === 'end' && this.cells !== null)
        this.deliver({ ...msg, unknownValues: this.cells.unknownValues() });
      else this.deliver(msg);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`parse worker stopped with code ${code}`));
    });
  }

  private deliver(item: FeedItem): void {
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w.resolve(item);
    } else this.queue.push(item);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(err);
  }

  next(): Promise<FeedItem> {
    const item = this.queue.shift();
    if (item) return Promise.resolve(item);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** Tells the worker a batch has been stored, so it may read further. */
  ack(): void {
    this.worker.postMessage(1);
  }

  /** Stops the worker; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failure ??= new Error('closed');
    await this.worker.terminate();
  }
}
