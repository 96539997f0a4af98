/**
 * The workspace's import history: file, rows, duplicates, rejected, when; failed, cancelled and
 * removed ones with why. A finished import can be removed here (its records are deleted, after a
 * confirmation in place).
 */
import { useEffect, useState } from 'react';
import type { ImportHistoryEntry } from '../../../common/contract';
import { formatBytes, formatCount, formatTime } from '../format';
import { call, errorText } from '../ipc';
import { RejectedRows } from './RejectedRows';

export function ImportHistory({
  refreshKey,
  notify,
  onChanged,
}: {
  readonly refreshKey: number;
  readonly notify: (t: string) => void;
  /** Records were removed: the results on screen need reloading. */
  readonly onChanged?: () => void;
}): React.JSX.Element | null {
  const [list, setList] = useState<readonly ImportHistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [confirm, setConfirm] = useState<number | null>(null);
  const [removing, setRemoving] = useState(false);
  const [reload, setReload] = useState(0);

  const remove = (h: ImportHistoryEntry): void => {
    setRemoving(true);
    call('imports:remove', { importId: h.id })
      .then(
        (r) => {
          notify(`Removed ${h.fileName}: ${formatCount(r.records)} records deleted.`);
          setReload((n) => n + 1);
          onChanged?.();
        },
        (err: unknown) => notify(errorText(err)),
      )
      .finally(() => {
        setRemoving(false);
        setConfirm(null);
      });
  };

  useEffect(() => {
    let live = true;
    call('imports:list', {}).then(
      (l) => live && setList(l),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [refreshKey, reload]);

  if (error) return <p className="inline-error">{error}</p>;
  if (!list || list.length === 0) return null;
  return (
    <section className="history" aria-label="Import history">
      <h3>Imported files</h3>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th>File</th>
              <th className="num">Rows</th>
              <th className="num">Duplicates</th>
              <th className="num">Rejected</th>
              <th>When</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {list.map((h) => (
              <tr key={h.id}>
                <td
                  title={`${formatBytes(h.fileSize)} · ${h.encoding} · delimiter ${JSON.stringify(h.delimiter)}`}
                >
                  {h.fileName}
                </td>
                <td className="num">{formatCount(h.imported)}</td>
                <td className="num">{formatCount(h.duplicates)}</td>
                <td className="num">
                  {h.rejected > 0 ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => setOpen(open === h.id ? null : h.id)}
                    >
                      {formatCount(h.rejected)}
                    </button>
                  ) : (
                    '0'
                  )}
                </td>
                <td>{formatTime(h.startedAt)}</td>
                <td className={h.error ? 'history-stopped' : undefined}>
                  {h.status}
                  {h.error ? <span className="history-reason">: {h.error}</span> : null}
                  {h.status === 'done' &&
                    (confirm === h.id ? (
                      <span className="history-confirm" role="group" aria-label={`Remove ${h.fileName}?`}>
                        {' '}
                        Delete its {formatCount(h.imported)} records?{' '}
                        <button type="button" disabled={removing} onClick={() => remove(h)} autoFocus>
                          Remove
                        </button>{' '}
                        <button type="button" disabled={removing} onClick={() => setConfirm(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="link"
                          aria-label={`Remove import #${h.id} (${h.fileName})`}
                          onClick={() => setConfirm(h.id)}
                        >
                          Remove…
                        </button>
                      </>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open != null && <RejectedRows importId={open} notify={notify} />}
    </section>
  );
}
