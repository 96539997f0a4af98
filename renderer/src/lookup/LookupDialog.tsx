/**
 * Batch lookup: paste addresses (one per line, or separated by commas/semicolons/spaces), get one line
 * each — found, latest outcome, time, SMTP reply — copyable or saved as CSV, or opened in the grid.
 */
import { useState } from 'react';
import { LIMITS, type LookupLine } from '../../../common/contract';
import { guardCell } from '../../../common/formula-guard';
import { searchValue } from '../filter';
import { formatCount, formatTime } from '../format';
import { Chip } from '../grid/columns';
import { call, errorText } from '../ipc';
import { useTypoHints } from '../typos/useTypoHints';
import { Dialog } from '../ui/Dialog';

export function parseAddresses(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(/[\s,;]+/)) {
    const a = raw.trim().replace(/^<|>$/g, '');
    if (a.includes('@')) seen.add(a);
  }
  return [...seen];
}

function csvCell(v: string): string {
  // Same guard as the export: a pasted list must not turn into formulas in Excel.
  const guarded = guardCell(v);
  return /[",;\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function linesAsCsv(lines: readonly LookupLine[]): string {
  const head = ['Address', 'Records found', 'Status', 'Substatus', 'Status Details', 'Time', 'SMTP reply'];
  const rows = lines.map((l) =>
    [
      l.address,
      String(l.found),
      l.latestStatus ?? '',
      l.latestSubstatus ?? '',
      l.latestDetails ?? '',
      l.latestTime ?? '',
      l.latestSmtp ?? '',
    ].map(csvCell),
  );
  return [head, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

export function LookupDialog({
  onClose,
  onOpen,
  onSearch,
  notify,
}: {
  readonly onClose: () => void;
  readonly onOpen: (correlationId: string) => void;
  readonly onSearch: (q: string) => void;
  readonly notify: (t: string) => void;
}): React.JSX.Element {
  const [text, setText] = useState('');
  const [lines, setLines] = useState<readonly LookupLine[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const addresses = parseAddresses(text);
  const hints = useTypoHints(lines);

  const run = (): void => {
    setBusy(true);
    setError(null);
    call('lookup:batch', { addresses: addresses.slice(0, LIMITS.maxLookupAddresses) })
      .then(setLines, (err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(false));
  };

  // The page cannot write files (sandboxed, downloads denied): main writes them to a path the user
  // picks in the save dialog, with the same formula guard as record exports.
  const save = (format: 'csv' | 'xlsx'): void => {
    if (!lines) return;
    call('export:pick', { suggestedName: `address-lookup.${format}` })
      .then((path) =>
        path === null
          ? null
          : call('lookup:export', {
              path,
              addresses: lines.map((l) => l.address),
              delimiter: ',',
              bom: true,
              ...(format === 'xlsx'
                ? { format, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }
                : {}),
            }),
      )
      .then(
        (done) => {
          if (done) notify(`Saved ${done.rows} lines to ${done.path}`);
        },
        (err: unknown) => setError(errorText(err)),
      );
  };

  const query = addresses.map((a) => `to:${searchValue(a)}`).join(' ');
  const found = lines?.filter((l) => l.found > 0).length ?? 0;

  return (
    <Dialog title="Look up addresses" onClose={onClose} wide testId="lookup-dialog">
      <label className="block-label" htmlFor="lookup-input">
        Paste recipient addresses, one per line
      </label>
      <textarea
        id="lookup-input"
        rows={6}
        value={text}
        spellCheck={false}
        placeholder={'jane@kunde.de\nmax@example.com'}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="dialog-actions left">
        <span className="muted">{formatCount(addresses.length)} addresses</span>
        <button type="button" className="primary" disabled={!addresses.length || busy} onClick={run}>
          {busy ? 'Looking up…' : 'Look up'}
        </button>
      </div>
      {error && <p className="inline-error">{error}</p>}
      {lines && (
        <>
          <p className="summary-line" data-testid="lookup-summary">
            {formatCount(found)} of {formatCount(lines.length)} addresses have records.
          </p>
          <div className="table-scroll lookup-table">
            <table className="data-table" data-testid="lookup-results">
              <thead>
                <tr>
                  <th>Address</th>
                  <th className="num">Found</th>
                  <th>Latest outcome</th>
                  <th>Time</th>
                  <th>SMTP reply</th>
                  <th>Likely typo of</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.address} className={l.found ? '' : 'not-found'}>
                    <td>
                      {l.correlationId ? (
                        <button type="button" className="link" onClick={() => onOpen(l.correlationId ?? '')}>
                          {l.address}
                        </button>
                      ) : (
                        l.address
                      )}
                    </td>
                    <td className="num">{formatCount(l.found)}</td>
                    <td>
                      {l.found ? (
                        <span className="chips">
                          {l.latestSubstatus && <Chip value={l.latestSubstatus} />}
                          {l.latestDetails && <Chip value={l.latestDetails} />}
                        </span>
                      ) : (
                        <span className="muted">not in this workspace</span>
                      )}
                    </td>
                    <td title={l.latestTime ?? ''}>{formatTime(l.latestTimeMs)}</td>
                    <td className="smtp-cell" title={l.latestSmtp ?? ''}>
                      {l.latestSmtp}
                    </td>
                    <td title={hints.get(l.address)?.reason}>
                      {hints.has(l.address) && (
                        <button
                          type="button"
                          className="link"
                          data-testid="lookup-typo"
                          onClick={() =>
                            onSearch(`to:${searchValue(hints.get(l.address)?.suggestion ?? '')}`)
                          }
                        >
                          {hints.get(l.address)?.suggestion}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="dialog-actions">
            <button
              type="button"
              onClick={() => {
                navigator.clipboard.writeText(linesAsCsv(lines)).then(
                  () => notify('Copied the lookup as CSV'),
                  () => notify('Copying was refused by the system'),
                );
              }}
            >
              Copy as CSV
            </button>
            <button type="button" onClick={() => save('csv')}>
              Save as CSV…
            </button>
            <button type="button" onClick={() => save('xlsx')}>
              Save as Excel…
            </button>
            <button
              type="button"
              disabled={query.length > LIMITS.maxQueryLength}
              title={query.length > LIMITS.maxQueryLength ? 'Too many addresses for one search' : undefined}
              onClick={() => onSearch(query)}
            >
              Show their records in the grid
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
