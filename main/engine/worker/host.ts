/**
 * Owns the engine's worker threads: one writer (imports, exports, settings) and READERS readers
 * (queries), so a page query is answered while an import runs, and the four requests of a search
 * (page, count, facets, histogram) do not queue behind each other on one connection: pages stay on
 * the first reader (its cache of keyset anchors), count, facets and histogram on the last (they share
 * one id set per filter), the rest go to the reader with the fewest calls in flight. A worker that dies is restarted and listeners are
 * told; calls in flight on it fail with ENGINE_UNAVAILABLE instead of hanging.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ArgsOf, ErrorShape, EventName, Events, FilterModel, ResultOf } from '../../../common/contract';
import type { IdAnswer } from '../query/shared-ids';
import { EngineError } from '../errors';
import { WRITER_CHANNELS, type EngineChannel } from '../handlers';
import type { FromWorker, OpenWorker, ToWorker, WorkerInit, WorkerRole } from './protocol';
import { transferOf } from './ids-transfer';

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: EngineError) => void;
}

/**
 * Reader threads. Two: the machine this runs on has at least two cores, and a search's slowest request
 * (facets or histogram) then runs beside the page and the count instead of in front of them. Each
 * reader holds its own connection, page cache (64 MiB; the last reader's 8 MiB, see
 * AGGREGATE_CACHE_KIB) and per-filter cache.
 */
export const READERS = 2;

/** Served by the first reader: its per-filter cache finds deep pages at once. */
const STICKY_CHANNELS: readonly EngineChannel[] = ['rows:page'];
/**
 * The count, facets and histogram of a search, served in the order sent by the last reader. A filter
 * no summary answers has its matches found once as an id set (match-ids.ts) that all three read;
 * spread over both readers, each found it again (`jane` at 1M rows: ~0.15 s each, on a machine
 * with two cores), and the count waited behind the page on the first.
 */
const AGGREGATE_CHANNELS: readonly EngineChannel[] = ['rows:count', 'facets:get', 'histogram:get'];

/**
 * Page cache of the last reader (count, facets, histogram), in KiB; the others keep openDatabase's
 * 64 MiB. Its big reads are single passes larger than 64 MiB anyway (`jane` at 1M rows: a LIKE over
 * the 65 MB records_to index), so a big cache held nothing for the next search, and filling it cost
 * more than the read: the first time each page of new cache memory is touched the OS faults it in,
 * ~8 ms per MB on the shared 2-core machine (first LIKE over records_to 624-720 ms with 64 MiB,
 * 134-167 ms with 2-4 MiB, measured under load; `jane` all four together 1144-1450 -> 544-598 ms).
 * 8 MiB still holds the summaries and fact_combos that most searches read.
 */
export const AGGREGATE_CACHE_KIB = 8192;

class WorkerSlot {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Id-set questions sent to this reader (idsFor), by their own numbering. */
  private readonly asks = new Map<number, (answer: IdAnswer | null) => void>();
  private nextAsk = 1;
  readonly started: Promise<void>;
  private ready: Promise<void>;
  private closing = false;
  /** Set once the worker has opened the database; a worker that dies before that is not restarted. */
  private opened = false;

  constructor(
    private readonly role: WorkerRole,
    private readonly dbPath: string,
    private readonly onEvent: (msg: Extract<FromWorker, { type: 'event' }>) => void,
    private readonly onCrash: (role: WorkerRole, reason: string) => void,
    /** Opens the workspace once this resolves (readers: after the writer has migrated it). */
    after?: Promise<void>,
    private readonly cacheKiB?: number,
    /** The aggregate reader keeps record_facts in memory (query/facts-memory.ts). */
    private readonly factsMemory = false,
    /** The page reader keeps value codes for sorts (query/column-codes.ts). */
    private readonly columnCodes = false,
    /** The page reader asks the aggregate reader for id sets through this (query/shared-ids.ts). */
    private readonly askIds?: (filter: FilterModel) => Promise<IdAnswer | null>,
  ) {
    // The writer's failure first (a reader told to stop never opens): start() rejects with its reason.
    this.ready =
      after === undefined ? this.spawn() : Promise.all([after, this.spawn(after)]).then(() => undefined);
    this.started = this.ready;
    this.ready.catch(() => undefined);
  }

  /**
   * Starts the thread at once and lets it open the workspace once `after` resolves (a reader: the
   * writer has created and migrated it). A thread's start is mostly compiling the engine's modules
   * (~200 ms of CPU each under load; a host's start ~600-700 ms of CPU in all), which now runs beside
   * the writer's instead of after it: host start at 1M rows, load ~7, median 1426 -> 1265 ms.
   */
  private spawn(after?: Promise<void>): Promise<void> {
    const worker = new Worker(path.join(__dirname, 'entry.js'), {
      workerData: {
        dbPath: this.dbPath,
        role: this.role,
        cacheKiB: this.cacheKiB,
        factsMemory: this.factsMemory,
        columnCodes: this.columnCodes,
        askIds: this.askIds !== undefined,
        openWhenTold: after !== undefined,
      } satisfies WorkerInit,
    });
    this.worker = worker;
    after?.then(
      () => {
        if (this.worker === worker) worker.postMessage({ type: 'open' } satisfies OpenWorker);
      },
      // The writer could not open the workspace: neither can this reader (start() closes the host).
      () => void worker.terminate(),
    );
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: FromWorker): void => {
        if (msg.type === 'ready') {
          this.opened = true;
          resolve();
        } else if (msg.type === 'fatal') reject(EngineError.from(msg.error));
        else if (msg.type === 'event') this.onEvent(msg);
        else if (msg.type === 'ids-ask') this.relayAsk(worker, msg.id, msg.filter);
        else if (msg.type === 'ids-answer') {
          this.asks.get(msg.id)?.(msg.answer);
          this.asks.delete(msg.id);
        } else {
          const p = this.pending.get(msg.id);
          if (!p) return;
          this.pending.delete(msg.id);
          if (msg.ok) p.resolve(msg.value);
          else p.reject(EngineError.from(msg.error));
        }
      };
      worker.on('message', onMessage);
      worker.on('error', (err) => reject(err instanceof Error ? err : new Error(String(err))));
      // Settles nothing once 'ready' came; before it, the workspace could not be opened.
      worker.on('exit', (code) =>
        reject(
          new EngineError(
            'ENGINE_UNAVAILABLE',
            `${this.role} worker exited with code ${code} while opening the workspace`,
          ),
        ),
      );
    });
    ready.catch(() => undefined);
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const reason = `${this.role} worker exited with code ${code}`;
      for (const p of this.pending.values())
        p.reject(new EngineError('ENGINE_UNAVAILABLE', `${reason}; the request was not completed`));
      this.pending.clear();
      // A page reader waiting for a set from here goes on without one.
      for (const resolve of this.asks.values()) resolve(null);
      this.asks.clear();
      // A worker that never opened the database (not a workspace, unreadable) would fail again at once.
      if (!this.closing && this.opened) {
        this.onCrash(this.role, reason);
        this.ready = this.spawn();
      }
    });
    return ready;
  }

  /** The page reader's question passed on; the answer (shared memory, not copied) sent back to it. */
  private relayAsk(worker: Worker, id: number, filter: FilterModel): void {
    const asked = this.askIds?.(filter) ?? Promise.resolve(null);
    void asked
      .catch(() => null)
      .then((answer) => {
        // A restarted page reader never asked this; its waiting map starts empty.
        if (this.worker !== worker) return;
        worker.postMessage({ type: 'ids-result', id, answer } satisfies ToWorker, transferOf(answer));
      });
  }

  /** The filter's id set from this (the aggregate) reader; null when it has none or is not running. */
  async idsFor(filter: FilterModel): Promise<IdAnswer | null> {
    await this.ready;
    const worker = this.worker;
    if (!worker) return null;
    const id = this.nextAsk++;
    return new Promise((resolve) => {
      this.asks.set(id, resolve);
      worker.postMessage({ type: 'ids', id, filter } satisfies ToWorker);
    });
  }

  /** Calls sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  async invoke(id: number, channel: EngineChannel, args: unknown): Promise<unknown> {
    await this.ready;
    const worker = this.worker;
    if (!worker) throw new EngineError('ENGINE_UNAVAILABLE', `${this.role} worker is restarting; try again`);
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'invoke', id, channel, args } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  /** For tests of crash recovery: kill the thread as if it had crashed. */
  async kill(): Promise<void> {
    // Killed while still opening the workspace, a worker is (rightly) not restarted, and a test
    // waiting for the restart would wait forever: kill it once it runs, as a real crash would.
    await this.ready.catch(() => undefined);
    if (this.worker) await this.worker.terminate();
  }
}

export class EngineHost {
  private readonly events = new EventEmitter();
  private readonly writer: WorkerSlot;
  private readonly readers: WorkerSlot[];
  private nextId = 1;

  private constructor(readonly dbPath: string) {
    const onEvent = (msg: Extract<FromWorker, { type: 'event' }>): void => {
      this.events.emit(msg.event, msg.payload);
    };
    const onCrash = (role: WorkerRole, reason: string): void => {
      this.events.emit('engine:restarted', { reason: `${reason} (${role} restarted)` });
    };
    this.writer = new WorkerSlot('writer', dbPath, onEvent, onCrash);
    // The writer creates and migrates the database in its thread; the read-only readers open it after.
    this.readers = Array.from(
      { length: READERS },
      (_, i) =>
        new WorkerSlot(
          'reader',
          dbPath,
          onEvent,
          onCrash,
          this.writer.started,
          i === READERS - 1 ? AGGREGATE_CACHE_KIB : undefined,
          i === READERS - 1,
          i === 0,
          i === 0 && READERS > 1 ? (filter) => this.readers[READERS - 1].idsFor(filter) : undefined,
        ),
    );
  }

  /**
   * Starts the workers; the database is created and migrated in the writer's thread, never on the
   * caller's (Electron's main thread stays free, and a hostile file is first parsed off it).
   */
  static open(dbPath: string): EngineHost {
    return new EngineHost(dbPath);
  }

  /** Like open, resolving once both workers have the database open; rejects if it cannot be opened. */
  static async start(dbPath: string): Promise<EngineHost> {
    const host = new EngineHost(dbPath);
    try {
      await Promise.all([host.writer.started, ...host.readers.map((r) => r.started)]);
    } catch (err) {
      await host.close();
      throw err;
    }
    return host;
  }

  invoke<C extends EngineChannel>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
    const slot = WRITER_CHANNELS.includes(channel)
      ? this.writer
      : STICKY_CHANNELS.includes(channel)
        ? this.readers[0]
        : AGGREGATE_CHANNELS.includes(channel)
          ? this.readers[this.readers.length - 1]
          : this.idleReader();
    return slot.invoke(this.nextId++, channel, args) as Promise<ResultOf<C>>;
  }

  /** The reader with the fewest calls in flight (the last on a tie: the first serves pages). */
  private idleReader(): WorkerSlot {
    return this.readers.reduceRight((best, r) => (r.inFlight < best.inFlight ? r : best));
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  async killWorker(role: WorkerRole): Promise<void> {
    await (role === 'writer' ? this.writer : this.readers[0]).kill();
  }

  async close(): Promise<void> {
    await Promise.all([this.writer.close(), ...this.readers.map((r) => r.close())]);
  }
}

export type { ErrorShape };
