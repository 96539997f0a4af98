/**
 * The engine's handler table: one function per engine channel, over a database handed in.
 * It runs inside a worker thread (see worker/entry.ts); arguments arrive already validated by main.
 */
import type { Database } from 'better-sqlite3';
import type { ArgsOf, Channel, Events, EventName, ResultOf, SHELL_CHANNELS } from '../../common/contract';
import { runExport } from './export/exporter';
import { runXlsxExport } from './xlsx/export';
import { exportLookupXlsx } from './xlsx/lookup';
import { exportLookup } from './export/lookup-csv';
import { listImports, listRejected } from './import/history';
import { runImport } from './import/importer';
import { removeImport } from './import/remove';
import { countRows, getDrilldown, getFacets, getHistogram, lookupAddresses, queryPage } from './query';
import { insightsHandlers } from './insights/handlers';
import { explainSmtp } from './smtp/explain';
import { getSetting, workspaceInfo } from './workspace';
import { keptSetting, saveSetting } from './settings-write';

export type EngineChannel = Exclude<Channel, (typeof SHELL_CHANNELS)[number]>;

export type EngineHandlers = {
  readonly [C in EngineChannel]: (args: ArgsOf<C>) => ResultOf<C> | Promise<ResultOf<C>>;
};

export interface EngineContext {
  readonly db: Database;
  readonly dbPath: string;
  readonly emit: <E extends EventName>(event: E, payload: Events[E]) => void;
  /** Registers a cancellable job; the returned signal aborts on `cancel(jobId)`. */
  readonly startJob: (jobId: string) => AbortSignal;
  readonly endJob: (jobId: string) => void;
  readonly cancelJob: (jobId: string) => boolean;
}

/** Channels that write; the host routes these to the single writer worker. */
export const WRITER_CHANNELS: readonly EngineChannel[] = [
  'import:start',
  'import:cancel',
  'imports:remove',
  'export:start',
  'export:cancel',
  'lookup:export',
  'settings:set',
];

async function withJob<T>(
  ctx: EngineContext,
  jobId: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const signal = ctx.startJob(jobId);
  try {
    return await run(signal);
  } finally {
    ctx.endJob(jobId);
  }
}

export function createEngineHandlers(ctx: EngineContext): EngineHandlers {
  const { db } = ctx;
  return {
    'workspace:info': () => workspaceInfo(db, ctx.dbPath),
    'settings:get': ({ key }) => keptSetting(db, key) ?? getSetting(db, key),
    'settings:set': ({ key, value }) => {
      saveSetting(db, key, value);
      return true as const;
    },
    'imports:list': () => listImports(db),
    'imports:rejected': ({ importId, offset, limit }) => listRejected(db, importId, offset, limit),
    'import:start': (req) =>
      withJob(ctx, req.jobId, (signal) =>
        runImport(db, req, { signal, onProgress: (p) => ctx.emit('import:progress', p) }),
      ),
    'import:cancel': ({ jobId }) => ctx.cancelJob(jobId),
    'imports:remove': ({ importId }) => removeImport(db, importId, new AbortController().signal),
    'rows:page': (req) => queryPage(db, req),
    'rows:count': ({ filter }) => countRows(db, filter),
    'facets:get': ({ filter, top }) => getFacets(db, filter, top ?? 10),
    'histogram:get': ({ filter, buckets, timeZone }) => getHistogram(db, filter, buckets ?? 60, timeZone),
    'correlation:get': ({ correlationId }) => getDrilldown(db, correlationId),
    'smtp:explain': ({ text }) => explainSmtp(text),
    'lookup:batch': ({ addresses }) => lookupAddresses(db, addresses),
    'lookup:export': (req) => (req.format === 'xlsx' ? exportLookupXlsx : exportLookup)(db, req),
    'export:start': (req) =>
      withJob(ctx, req.jobId, (signal) =>
        (req.format === 'xlsx' ? runXlsxExport : runExport)(db, req, {
          signal,
          onProgress: (p) => ctx.emit('export:progress', p),
        }),
      ),
    'export:cancel': ({ jobId }) => ctx.cancelJob(jobId),
    ...insightsHandlers(ctx),
  };
}
