/** Rejected rows of one import, paged from the database: line, reason and the raw text, copyable. */
import { useEffect, useState } from 'react';
import type { RejectedRow } from '../../../common/contract';
import { formatCount } from '../format';
import { call, errorText } from '../ipc';

const PAGE = 100;

export function rejectedAsText(rows: readonly RejectedRow[]): string {
  return [
    'Line\tColumn\tReason\tRaw',
    ...rows.map((r) => `${r.line}\t${r.column ?? ''}\t${r.reason}\t${r.raw}`),
  ].join('\n');
}

export function RejectedRows({
  importId,
  notify,
}: {
  readonly importId: number;
  readonly notify: (t: string) => void;
}): React.JSX.Element {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; rows: readonly RejectedRow[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('imports:rejected', { importId, offset, limit: PAGE }).then(
      (p) => live && setPage(p),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [importId, offset]);

  if (error) return <p className="inline-error">{error}</p>;
  if (!page) return <p className="muted">Loading rejected rows…</p>;
  const copyAll = (): void => {
    navigator.clipboard.writeText(rejectedAsText(page.rows)).then(
      () => notify(`Copied ${page.rows.length} rejected rows`),
      () => notify('Copying was refused by the system'),
    );
  };
  return (
    <div className="rejected" data-testid="rejected-rows">
      <div className="rejected-bar">
        <span className="muted">
          Rows {formatCount(offset + 1)}–{formatCount(offset + page.rows.length)} of {formatCount(page.total)}
        </span>
        <button type="button" onClick={copyAll}>
          Copy these rows
        </button>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Previous
        </button>
        <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
          Next
        </button>
      </div>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th>Line</th>
              <th>Reason</th>
              <th>Raw text</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => (
              <tr key={`${r.line}-${r.reason}`}>
                <td className="num">{r.line}</td>
                <td>
                  {r.column ? <strong>{r.column}: </strong> : null}
                  {r.reason}
                </td>
                <td>
                  <code className="raw">{r.raw}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
