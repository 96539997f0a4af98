/**
 * Runs one import job: picks a jobId up front so Cancel works before 'import:start' returns, collects
 * the pushed progress per file, and keeps the request so the summary can re-import with overrides.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportProgress, ImportRequest, ImportResult } from '../../../common/contract';
import { call, errorText, isCancelled, newJobId, on } from '../ipc';

/** How the user asked to re-import a file: another delimiter or encoding, or `force` to re-read an identical file. */
export type ImportOverrides = Pick<
  ImportRequest,
  'delimiter' | 'encoding' | 'force' | 'timeZone' | 'replaces'
>;

export interface FileProgress {
  readonly progress: ImportProgress;
  readonly startedAt: number;
}

export type ImportState =
  | { readonly phase: 'idle' }
  /** Files chosen; the user confirms the zone of their zone-less times first. */
  | { readonly phase: 'confirm'; readonly paths: readonly string[] }
  | {
      readonly phase: 'running';
      readonly request: ImportRequest;
      readonly files: Readonly<Record<string, FileProgress>>;
      readonly cancelling: boolean;
    }
  | { readonly phase: 'done'; readonly request: ImportRequest; readonly result: ImportResult }
  | {
      readonly phase: 'failed';
      readonly request: ImportRequest;
      readonly message: string;
      readonly cancelled: boolean;
    };

export function useImport(onFinished: () => void): {
  state: ImportState;
  /** Asks for the import's settings (zone of zone-less times) first. */
  choose: (paths: readonly string[]) => void;
  start: (paths: readonly string[], overrides?: ImportOverrides) => void;
  cancel: () => void;
  dismiss: () => void;
} {
  const [state, setState] = useState<ImportState>({ phase: 'idle' });
  const jobRef = useRef<string | null>(null);

  useEffect(
    () =>
      on('import:progress', (p) => {
        if (p.jobId !== jobRef.current) return;
        setState((s) => {
          if (s.phase !== 'running') return s;
          const prev = s.files[p.file];
          return {
            ...s,
            files: { ...s.files, [p.file]: { progress: p, startedAt: prev?.startedAt ?? Date.now() } },
          };
        });
      }),
    [],
  );

  const start = useCallback(
    (paths: readonly string[], overrides?: ImportOverrides) => {
      if (paths.length === 0 || jobRef.current) return;
      const request: ImportRequest = { jobId: newJobId(), paths, ...overrides };
      jobRef.current = request.jobId;
      setState({ phase: 'running', request, files: {}, cancelling: false });
      call('import:start', request)
        .then(
          (result) => setState({ phase: 'done', request, result }),
          (err: unknown) =>
            setState({ phase: 'failed', request, message: errorText(err), cancelled: isCancelled(err) }),
        )
        .finally(() => {
          jobRef.current = null;
          onFinished();
        });
    },
    [onFinished],
  );

  const cancel = useCallback(() => {
    const jobId = jobRef.current;
    if (!jobId) return;
    setState((s) => (s.phase === 'running' ? { ...s, cancelling: true } : s));
    call('import:cancel', { jobId }).catch(() => undefined);
  }, []);

  const choose = useCallback((paths: readonly string[]) => {
    if (paths.length === 0 || jobRef.current) return;
    setState({ phase: 'confirm', paths });
  }, []);

  const dismiss = useCallback(() => setState({ phase: 'idle' }), []);
  return { state, choose, start, cancel, dismiss };
}
