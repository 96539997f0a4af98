/** What every benchmark section receives from bench/index.ts, and how it reports a figure. */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export interface BenchFigure {
  /** e.g. "import: grid-ready" */
  readonly name: string;
  /** Measured value, in `unit`. */
  readonly value: number;
  readonly unit: 'ms' | 'rows/s' | 'MB' | 's' | '%';
  /** The target as text, e.g. "<= 1.0x sqlite3 CLI" or "<= 20 ms". */
  readonly target: string;
  /** Whether the target is met; the bench prints MISS lines but does not fail. */
  readonly ok: boolean;
  /** value / baseline where the target is a ratio against a baseline measured in the same run. */
  readonly ratio?: number;
  readonly note?: string;
}

export interface BenchContext {
  readonly rows: number;
  /** Scratch folder for this run. */
  readonly workDir: string;
  /** The generated export (current header names, `,`, CRLF). */
  readonly csvPath: string;
  readonly csvBytes: number;
  /** How often each bulk figure (CLI baseline, engine import) is measured; the best run counts. */
  readonly runs: number;
  /** Workspace database after the engine's import; set once the import section has run. */
  dbPath: string | null;
  /** One sqlite3 CLI `.import` plus indexes into a fresh file, in ms; null when the CLI is missing. */
  readonly cliImport: (() => number) | null;
  /** sqlite3 CLI baselines measured in this run, in ms (set by the sections that measure them). */
  readonly baseline: { importMs: number | null; exportMs: number | null };
  readonly report: (figure: BenchFigure) => void;
  readonly log: (line: string) => void;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs `fn` `n` times (after one warm-up) and returns the median wall time in ms. */
export async function timeMedian(n: number, fn: () => unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Writes dirty pages out before a timed bulk step, so it does not pay for the previous step's
 * writeback (the CLI baseline leaves ~1 GB of it behind for the engine's import, and vice versa).
 */
export function flushDisk(): void {
  spawnSync('sync');
}

/** Deletes a database file with its WAL and shared-memory files, so the next run starts from nothing. */
export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

export function min(xs: readonly number[]): number {
  return Math.min(...xs);
}

/**
 * This process's peak resident memory in MB. On Linux from VmHWM, which belongs to the process's own
 * address space: getrusage's maxRSS keeps the high-water mark from before exec, that is the bench
 * parent's RSS at fork time, so a child spawned late in the run reported the parent's size as its own.
 */
export function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: getrusage is what there is.
  }
  return process.resourceUsage().maxRSS / 1024;
}
