/**
 * Worker-thread entry: opens its own connection (writer, or read-only reader beside it in WAL mode)
 * and answers invocations from the host with the engine handler table.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../db/open';
import { toErrorShape } from '../errors';
import { createEngineHandlers, type EngineContext, type EngineHandlers } from '../handlers';
import { enableAddressMemory, stepAddressMemory } from '../query/address-memory';
import { enableFactsMemory, stepFactsMemory } from '../query/facts-memory';
import { enableValuesMemory, stepValuesMemory } from '../query/values-memory';
import { persistMemories } from '../query/memory-cache';
import { restoreInSteps } from '../query/memory-stages';
import { refreshMemories } from '../query/memory-refresh';
import { factsCoverage } from '../query/record-facts';
import type { FromWorker, OpenWorker, ToWorker, WorkerInit } from './protocol';
import { startColumnCodes } from './idle-codes';
import { idleLoop } from './idle-loop';
import { idsRelay } from './ids-relay';
import { wantWordTokens } from '../query/page-words';

function post(port: NonNullable<typeof parentPort>, msg: FromWorker): void {
  port.postMessage(msg);
}

function start(): void {
  const port = parentPort;
  if (!port) throw new Error('entry.ts must run in a worker thread');
  const init = workerData as WorkerInit;
  const db = openDatabase(init.dbPath, { readonly: init.role === 'reader' });
  if (init.cacheKiB !== undefined) db.pragma(`cache_size = ${-Math.trunc(init.cacheKiB)}`);
  const jobs = new Map<string, AbortController>();
  const ctx: EngineContext = {
    db,
    dbPath: init.dbPath,
    emit: (event, payload) => port.postMessage({ type: 'event', event, payload }),
    startJob: (jobId) => {
      const ac = new AbortController();
      jobs.set(jobId, ac);
      return ac.signal;
    },
    endJob: (jobId) => {
      jobs.delete(jobId);
    },
    cancelJob: (jobId) => {
      const ac = jobs.get(jobId);
      ac?.abort();
      return ac !== undefined;
    },
  };
  const handlers: EngineHandlers = createEngineHandlers(ctx);
  const mirror = init.factsMemory === true ? startFactsMemory(db, init.dbPath) : () => undefined;
  const codes = init.columnCodes === true ? startColumnCodes(db) : () => undefined;

  const relay = idsRelay(db, port, init.askIds === true);

  port.on('message', (msg: ToWorker) => {
    if (msg.type !== 'invoke') {
      relay.onMessage(msg);
      return;
    }
    const handler = handlers[msg.channel] as (args: unknown) => unknown;
    Promise.resolve()
      // A sorted page under a filter: its id set from the aggregate reader first (query/shared-ids.ts).
      .then(() => (msg.channel === 'rows:page' ? relay.beforePage(msg.args) : undefined))
      // An import that ended since may have left newer copies (import/keep-memories.ts): take them first.
      .then(() => (init.factsMemory === true ? refreshMemories(db) : undefined))
      .then(() => handler(msg.args))
      .then(
        (value) => post(port, { type: 'result', id: msg.id, ok: true, value }),
        (err: unknown) => post(port, { type: 'result', id: msg.id, ok: false, error: toErrorShape(err) }),
      )
      // After each answer: an import may have added records to mirror.
      .finally(() => {
        mirror();
        codes();
      });
  });
  port.on('close', () => db.close());
  post(port, { type: 'ready' });
}

/**
 * Takes the copies kept in the workspace (memory-cache.ts), then loads the rest of record_facts into
 * this reader's memory in steps while it is idle (facts-memory.ts), then the address map and the
 * senders and sizes (idle-loop.ts), and keeps what was loaded for the next time the case opens.
 */
function startFactsMemory(db: Database, dbPath: string): () => void {
  enableFactsMemory(db);
  enableValuesMemory(db);
  enableAddressMemory(db);
  // A free word's set from the kept token dictionary (page-words.ts), taken at the first word search.
  wantWordTokens(db);
  // From right after the reader reports ready, a chunk per task (memory-stages.ts): a request sent
  // meanwhile waits only for the memories it reads (none for most filters), not for all of them.
  restoreInSteps(db);
  // The addresses once record_facts is in: facets and histograms of every id set need the latter.
  // Senders and sizes last (values-memory.ts): only `from:` and `size` terms wait for them.
  return idleLoop(
    () =>
      stepFactsMemory(db, () => factsCoverage(db)) ||
      stepAddressMemory(db) ||
      stepValuesMemory(db, () => factsCoverage(db)) ||
      persistMemories(db, dbPath),
  );
}

function run(): void {
  try {
    start();
  } catch (err) {
    parentPort?.postMessage({ type: 'fatal', error: toErrorShape(err) } satisfies FromWorker);
  }
}

// The modules are loaded by now; a reader started beside the writer opens once the writer has.
if ((workerData as WorkerInit).openWhenTold === true && parentPort)
  parentPort.once('message', (msg: OpenWorker) => {
    if (msg.type === 'open') run();
  });
else run();
