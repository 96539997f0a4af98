/** The "likely typos" list: hard-bounced or invalid addresses under the filter with a suggestion and counts. */
import { useEffect, useState } from 'react';
import type { FilterModel } from '../../../common/contract';
import type { TyposReport } from '../../../common/insights';
import { searchValue } from '../filter';
import { formatCount } from '../format';
import { call, errorText } from '../ipc';
import { Dialog } from '../ui/Dialog';

export function TyposView({
  filter,
  onClose,
  onSearch,
}: {
  readonly filter: FilterModel;
  readonly onClose: () => void;
  readonly onSearch: (q: string) => void;
}): React.JSX.Element {
  const [data, setData] = useState<TyposReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('insights:typos', { filter, limit: 1000 }).then(
      (d) => live && setData(d),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [filter]);
  return (
    <Dialog title="Likely typos" onClose={onClose} wide testId="typos-view">
      {error && <p className="inline-error">{error}</p>}
      {!data && !error && <p className="muted">Checking addresses…</p>}
      {data && (
        <>
          <p className="summary-line">
            {formatCount(data.hints.length)} likely typos among {formatCount(data.checked)} hard-bounced or
            invalid addresses under the current filter.
          </p>
          <div className="table-scroll">
            <table className="data-table insight-table" data-testid="typos-table">
              <thead>
                <tr>
                  <th>Address</th>
                  <th className="num">Records</th>
                  <th>Did they mean</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {data.hints.map((h) => (
                  <tr key={h.address}>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => onSearch(`to:${searchValue(h.address)}`)}
                      >
                        {h.address}
                      </button>
                    </td>
                    <td className="num">{formatCount(h.count)}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        title="Look it up"
                        onClick={() => onSearch(`to:${searchValue(h.suggestion)}`)}
                      >
                        {h.suggestion}
                      </button>
                    </td>
                    <td className="small">{h.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Dialog>
  );
}
