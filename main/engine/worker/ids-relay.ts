/**
 * The worker side of handing a filter's id set from the aggregate reader to the page reader
 * (query/shared-ids.ts has why and how it stays exact). The page reader asks before a sorted page
 * whose set it would find slowly itself; the host passes the question to the aggregate reader, which
 * answers from its memories (or the set its search found already) and transfers the ids.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { FilterModel, PageRequest } from '../../../common/contract';
import { adoptIds, answerIds, wantsIds, type IdAnswer } from '../query/shared-ids';
import { transferOf } from './ids-transfer';
import type { FromWorker, ToWorker } from './protocol';

type IdsMessage = Exclude<ToWorker, { type: 'invoke' }>;

export interface IdsRelay {
  /** Handles the host's `ids` and `ids-result` messages. */
  readonly onMessage: (msg: IdsMessage) => void;
  /** Before a `rows:page` on the page reader: the filter's set asked for and adopted where it pays. */
  readonly beforePage: (args: unknown) => Promise<void>;
}

function post(port: MessagePort, msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

/** The aggregate reader's answer; null for a filter it cannot answer (the page handler validates it). */
function tryAnswer(db: Database, filter: FilterModel): IdAnswer | null {
  try {
    return answerIds(db, filter);
  } catch {
    return null;
  }
}

/** Whether to ask; false for malformed arguments (the page handler rejects them with its own error). */
function tryWants(db: Database, req: PageRequest): boolean {
  try {
    return wantsIds(db, req);
  } catch {
    return false;
  }
}

export function idsRelay(db: Database, port: MessagePort, ask: boolean): IdsRelay {
  const waiting = new Map<number, (answer: IdAnswer | null) => void>();
  let nextAsk = 1;

  const askFor = (filter: FilterModel): Promise<IdAnswer | null> =>
    new Promise((resolve) => {
      const id = nextAsk++;
      waiting.set(id, resolve);
      post(port, { type: 'ids-ask', id, filter });
    });

  return {
    onMessage(msg) {
      if (msg.type === 'ids') {
        const answer = tryAnswer(db, msg.filter);
        post(port, { type: 'ids-answer', id: msg.id, answer }, transferOf(answer));
      } else {
        const resolve = waiting.get(msg.id);
        waiting.delete(msg.id);
        resolve?.(msg.answer);
      }
    },
    async beforePage(args) {
      if (!ask) return;
      const req = args as PageRequest;
      if (!tryWants(db, req)) return;
      const answer = await askFor(req.filter);
      // None, or declined (another generation): the page reader finds its own as before.
      adoptIds(db, req.filter, answer);
    },
  };
}
