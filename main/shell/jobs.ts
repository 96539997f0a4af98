/**
 * Long jobs seen from the desktop: the taskbar progress fraction for import/export progress events,
 * and the notification shown when a job ends while the window is not focused.
 */
import type {
  Envelope,
  ExportProgress,
  ExportResult,
  ImportProgress,
  ImportResult,
} from '../../common/contract';

/** Jobs shorter than this end while the user is still looking; no notification for them. */
export const NOTIFY_AFTER_MS = 5000;

function unit(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

/** Overall fraction over all files of an import: finished files plus the share of the current one. */
export function importFraction(p: ImportProgress): number {
  if (p.fileCount <= 0) return 0;
  const within = p.phase === 'done' ? 1 : p.totalBytes > 0 ? unit(p.bytesRead / p.totalBytes) : 0;
  return unit((p.fileIndex + within) / p.fileCount);
}

export function exportFraction(p: ExportProgress): number {
  return p.totalRows > 0 ? unit(p.rowsWritten / p.totalRows) : 0;
}

export interface Notice {
  readonly title: string;
  readonly body: string;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * What to tell the user when a job ends, or null if nothing: only when it ran long and the window
 * is not focused. The text carries counts only, never record content.
 */
export function importNotice(
  env: Envelope<ImportResult>,
  durationMs: number,
  focused: boolean,
): Notice | null {
  if (focused || durationMs < NOTIFY_AFTER_MS) return null;
  if (!env.ok) return { title: 'Import failed', body: env.error.message };
  const r = env.value;
  const imported = r.files.reduce((s, f) => s + f.imported, 0);
  const rejected = r.files.reduce((s, f) => s + f.rejected, 0);
  const failed = r.files.filter((f) => f.error !== undefined).length;
  const title = r.cancelled
    ? 'Import cancelled'
    : failed > 0
      ? 'Import finished with errors'
      : 'Import finished';
  const parts = [plural(imported, 'record') + ' imported'];
  if (rejected > 0) parts.push(plural(rejected, 'row') + ' rejected');
  if (failed > 0) parts.push(plural(failed, 'file') + ' failed');
  return { title, body: parts.join(', ') };
}

export function exportNotice(
  env: Envelope<ExportResult>,
  durationMs: number,
  focused: boolean,
): Notice | null {
  if (focused || durationMs < NOTIFY_AFTER_MS) return null;
  if (!env.ok)
    return {
      title: env.error.code === 'CANCELLED' ? 'Export cancelled' : 'Export failed',
      body: env.error.message,
    };
  return { title: 'Export finished', body: `${plural(env.value.rowsWritten, 'row')} written` };
}
