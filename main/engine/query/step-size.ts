/**
 * Records per idle load step of the page reader's codes (column-codes.ts, unique-codes.ts), steered
 * toward a wall time: a page arriving during a step waits for it. On this shared 2-core machine a
 * step's time swings 2-4x from one step to the next, so the size moves halfway to the estimate and
 * grows by half at most: one fast step does not make the next one five times as long.
 */
export function smoothChunk(chunk: number, estimate: number, max: number): number {
  const next = Math.min(chunk * 1.5, (chunk + estimate) / 2);
  return Math.round(Math.min(max, Math.max(500, next)));
}
