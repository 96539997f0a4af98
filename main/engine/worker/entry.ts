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
import { factsCoverage } from '../query/record-facts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { startColumnCodes } from './idle-codes';

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
  const mirror = init.factsMemory === true ? startFactsMemory(db) : () => undefined;
  const codes = init.columnCodes === true ? startColumnCodes(db) : () => undefined;

  port.on('message', (msg: ToWorker) => {
    const handler = handlers[msg.channel] as (args: unknown) => unknown;
    Promise.resolve()
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
 * A load step runs only after the reader has had no request for this long. Loaded eagerly, the 5M
 * mirror's ~5 s of steps ran between the bench's back-to-back requests and slowed all of them
 * (matrix at 5M, load ~4: total 12.7 -> 19.6 s, `jane` together 1295 -> 1889 ms); a person reading a
 * result leaves the reader idle far longer.
 */
const IDLE_MS = 250;

/**
 * Loads record_facts into this reader's memory in steps while it is idle (facts-memory.ts), now and
 * whenever the returned function (called after each answer) finds it behind. Until complete,
 * requests take the SQL path.
 */
function startFactsMemory(db: Database): () => void {
  enableFactsMemory(db);
  enableValuesMemory(db);
  enableAddressMemory(db);
  let running = false;
  let lastAnswer = performance.now();
  const step = (): void => {
    const wait = lastAnswer + IDLE_MS - performance.now();
    if (wait > 0) {
      setTimeout(step, wait);
      return;
    }
    let more: boolean;
    try {
      // The addresses once record_facts is in: facets and histograms of every id set need the latter.
      // Senders and sizes last (values-memory.ts): only `from:` and `size` terms wait for them.
      more =
        stepFactsMemory(db, () => factsCoverage(db)) ||
        stepAddressMemory(db) ||
        stepValuesMemory(db, () => factsCoverage(db));
    } catch {
      // Only a speed-up: a failed read leaves the SQL path answering, and the next request retries.
      more = false;
    }
    if (more) setImmediate(step);
    else running = false;
  };
  const kick = (): void => {
    lastAnswer = performance.now();
    if (running) return;
    running = true;
    setTimeout(step, IDLE_MS);
  };
  kick();
  return kick;
}

try {
  start();
} catch (err) {
  parentPort?.postMessage({ type: 'fatal', error: toErrorShape(err) } satisfies FromWorker);
}
