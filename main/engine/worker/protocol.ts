/** Messages between the engine host (main thread) and an engine worker thread. */
import type { ErrorShape, EventName, Events } from '../../../common/contract';
import type { EngineChannel } from '../handlers';

export type WorkerRole = 'writer' | 'reader';

export interface WorkerInit {
  readonly dbPath: string;
  readonly role: WorkerRole;
  /** The connection's page cache in KiB, when it differs from openDatabase's (see host.ts AGGREGATE_CACHE_KIB). */
  readonly cacheKiB?: number;
  /** Keep record_facts in memory (query/facts-memory.ts): the reader serving counts, facets and histograms. */
  readonly factsMemory?: boolean;
  /** Keep the value codes of the columns no index orders (query/column-codes.ts): the page reader. */
  readonly columnCodes?: boolean;
}

export type ToWorker = {
  readonly type: 'invoke';
  readonly id: number;
  readonly channel: EngineChannel;
  readonly args: unknown;
};

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: ErrorShape }
  | {
      readonly [E in EventName]: { readonly type: 'event'; readonly event: E; readonly payload: Events[E] };
    }[EventName]
  | { readonly type: 'fatal'; readonly error: ErrorShape };
