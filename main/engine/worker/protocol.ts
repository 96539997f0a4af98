/** Messages between the engine host (main thread) and an engine worker thread. */
import type { ErrorShape, EventName, Events, FilterModel } from '../../../common/contract';
import type { EngineChannel } from '../handlers';
import type { IdAnswer } from '../query/shared-ids';

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
  /** Ask the host for filters' id sets before sorted pages (query/shared-ids.ts): the page reader. */
  readonly askIds?: boolean;
  /** Open the workspace only on OpenWorker (a reader started beside the writer that migrates it). */
  readonly openWhenTold?: boolean;
}

/** To a worker started with openWhenTold: the workspace may be opened now. */
export interface OpenWorker {
  readonly type: 'open';
}

export type ToWorker =
  | {
      readonly type: 'invoke';
      readonly id: number;
      readonly channel: EngineChannel;
      readonly args: unknown;
    }
  /** To the aggregate reader: the filter's id set, answered with `ids-answer` (shared-ids.ts). */
  | { readonly type: 'ids'; readonly id: number; readonly filter: FilterModel }
  /** To the page reader: the answer to its `ids-ask` (null: none to be had). */
  | { readonly type: 'ids-result'; readonly id: number; readonly answer: IdAnswer | null };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: ErrorShape }
  | {
      readonly [E in EventName]: { readonly type: 'event'; readonly event: E; readonly payload: Events[E] };
    }[EventName]
  | { readonly type: 'fatal'; readonly error: ErrorShape }
  /** From the page reader: asks for the filter's id set of the aggregate reader. */
  | { readonly type: 'ids-ask'; readonly id: number; readonly filter: FilterModel }
  /** From the aggregate reader: the set asked for by `ids` (its buffer transferred). */
  | { readonly type: 'ids-answer'; readonly id: number; readonly answer: IdAnswer | null };
