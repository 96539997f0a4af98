/** Throttles import progress to one event per 250 ms (phase changes are sent at once). */
import type { ImportPhase, ImportProgress } from '../../../common/contract';

export const PROGRESS_INTERVAL_MS = 250;

export class ProgressReporter {
  private last = 0;
  private lastPhase: ImportPhase | null = null;
  private started = performance.now();

  constructor(
    private readonly emit: (p: ImportProgress) => void,
    private readonly base: Pick<ImportProgress, 'jobId' | 'file' | 'fileIndex' | 'fileCount' | 'totalBytes'>,
  ) {}

  restart(): void {
    this.started = performance.now();
  }

  report(phase: ImportPhase, rows: number, bytesRead: number): void {
    const now = performance.now();
    if (phase === this.lastPhase && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    this.lastPhase = phase;
    const seconds = (now - this.started) / 1000;
    this.emit({
      ...this.base,
      phase,
      rows,
      bytesRead,
      rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
    });
  }
}
