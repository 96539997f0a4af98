/**
 * What an id-set answer (query/shared-ids.ts) lists for transfer when posted between threads. The
 * aggregate reader answers with its set's copy in shared memory, which postMessage shares as it is
 * (a SharedArrayBuffer cannot be in a transfer list); an answer in an ordinary buffer is transferred,
 * not copied. Its own module: the host imports it without the query code.
 */
import type { IdAnswer } from '../query/shared-ids';

export function transferOf(answer: IdAnswer | null): ArrayBuffer[] {
  if (answer === null || answer.ids.buffer instanceof SharedArrayBuffer) return [];
  return [answer.ids.buffer];
}
