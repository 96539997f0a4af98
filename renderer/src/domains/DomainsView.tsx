/**
 * Recipient domains under the current filter: outcome counts, bounce rate, a per-day trend and the top
 * bounce reply in words. Providers are one line that opens to their domains. Any column sorts; a
 * click on a name filters the grid to that domain (or to all of a provider's domains).
 */
import { Fragment, useEffect, useMemo, useState } from 'react';
import type { FilterModel } from '../../../common/contract';
import type { DomainLine, DomainsReport } from '../../../common/insights';
import { formatCount } from '../format';
import { call, errorText } from '../ipc';
import { Dialog } from '../ui/Dialog';
import { Sparkline } from './Sparkline';

type SortKey = 'label' | 'messages' | 'delivered' | 'hardBounces' | 'softBounces' | 'dropped' | 'bounceRate';

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'label', label: 'Domain / provider' },
  { key: 'messages', label: 'Records' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'hardBounces', label: 'Hard' },
  { key: 'softBounces', label: 'Soft' },
  { key: 'dropped', label: 'Dropped' },
  { key: 'bounceRate', label: 'Bounce rate' },
];

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** The verdict sentence only ("Hard bounce: the recipient address does not exist …"); the rest is in the tooltip. */
export function shortSummary(summary: string): string {
  const end = summary.indexOf('. ');
  return end === -1 ? summary : summary.slice(0, end);
}

function compare(key: SortKey, desc: boolean): (a: DomainLine, b: DomainLine) => number {
  return (a, b) => {
    const d = key === 'label' ? a.label.localeCompare(b.label) : a[key] - b[key];
    return (desc ? -d : d) || a.label.localeCompare(b.label);
  };
}

function Row({
  line,
  member,
  open,
  onToggle,
  onFilter,
}: {
  readonly line: DomainLine;
  readonly member?: boolean;
  readonly open?: boolean;
  readonly onToggle?: () => void;
  readonly onFilter: (domains: readonly string[]) => void;
}): React.JSX.Element {
  const reply = line.topReplies[0];
  return (
    <tr className={member ? 'member' : undefined} data-testid="domain-row" data-key={line.key}>
      <td className="label">
        {onToggle ? (
          <button
            type="button"
            className="expand"
            aria-expanded={open}
            aria-label={`Show the domains of ${line.label}`}
            onClick={onToggle}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          !member && <span className="expand" />
        )}
        <button
          type="button"
          className="link"
          title={`Filter the grid to ${line.domains.join(', ')}`}
          onClick={() => onFilter(line.domains)}
        >
          {line.label}
        </button>
        {line.provider && !member && (
          <span className="muted">
            {' '}
            · {line.domains.length} {line.domains.length === 1 ? 'domain' : 'domains'}
          </span>
        )}
      </td>
      <td className="num">{formatCount(line.messages)}</td>
      <td className="num">{formatCount(line.delivered)}</td>
      <td className="num">{formatCount(line.hardBounces)}</td>
      <td className="num">{formatCount(line.softBounces)}</td>
      <td className="num">{formatCount(line.dropped)}</td>
      <td className="num">{pct(line.bounceRate)}</td>
      <td>
        <Sparkline values={line.trend} bad={line.trendBounced} label={`Records per day for ${line.label}`} />
      </td>
      <td
        className="reply"
        title={reply ? `${reply.summary}\n${reply.sample}\nNext step: ${reply.nextStep}` : ''}
      >
        {reply ? (
          <>
            <strong>{reply.code}</strong> {shortSummary(reply.summary)}
          </>
        ) : (
          <span className="muted">no bounces</span>
        )}
      </td>
    </tr>
  );
}

export function DomainsView({
  filter,
  onClose,
  onFilter,
}: {
  readonly filter: FilterModel;
  readonly onClose: () => void;
  readonly onFilter: (domains: readonly string[]) => void;
}): React.JSX.Element {
  const [data, setData] = useState<DomainsReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'messages', desc: true });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    let live = true;
    call('insights:domains', { filter, limit: 500 }).then(
      (d) => live && setData(d),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [filter]);

  const lines = useMemo(() => [...(data?.lines ?? [])].sort(compare(sort.key, sort.desc)), [data, sort]);
  const toggle = (key: string): void =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });

  return (
    <Dialog title="Recipient domains" onClose={onClose} wide testId="domains-view">
      {error && <p className="inline-error">{error}</p>}
      {!data && !error && <p className="muted">Counting…</p>}
      {data && (
        <>
          <p className="summary-line">
            {formatCount(data.domainCount)} recipient domains under the current filter
            {data.truncated ? `; the ${formatCount(data.lines.length)} largest lines are shown` : ''}. Click a
            name to filter the grid to it; providers open to their domains.
          </p>
          <div className="table-scroll">
            <table className="data-table insight-table" data-testid="domains-table">
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th
                      key={c.key}
                      className={c.key === 'label' ? undefined : 'num'}
                      aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                    >
                      <button
                        type="button"
                        className="sort"
                        onClick={() =>
                          setSort((s) => ({
                            key: c.key,
                            desc: s.key === c.key ? !s.desc : c.key !== 'label',
                          }))
                        }
                      >
                        {c.label}
                        {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                      </button>
                    </th>
                  ))}
                  <th>Per day</th>
                  <th>Top bounce reply</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <Fragment key={l.key}>
                    <Row
                      line={l}
                      onFilter={onFilter}
                      {...(l.members.length > 0
                        ? { open: open.has(l.key), onToggle: () => toggle(l.key) }
                        : {})}
                    />
                    {open.has(l.key) &&
                      l.members.map((m) => <Row key={m.key} line={m} member onFilter={onFilter} />)}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Dialog>
  );
}
