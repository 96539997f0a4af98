/**
 * Everything about one message (Correlation ID): its records in order with what changed, each SMTP
 * reply in plain words with a verdict and the next step, the earlier hard bounce behind a
 * suppression, and one-click filters for the recipient, job and campaign.
 */
import { useEffect, useRef, useState } from 'react';
import { columnById } from '../../../common/columns';
import type { Drilldown, DrilldownEntry, RecordRow, SmtpExplanation } from '../../../common/contract';
import { searchValue } from '../filter';
import { describeSummary } from '../../../common/outcome-text';
import { formatShortTime, formatTime, plain } from '../format';
import { Chip } from '../grid/columns';
import { call, errorText } from '../ipc';
import { TypoHintLine } from '../typos/TypoHintLine';

export interface DrilldownPanelProps {
  readonly correlationId: string;
  readonly onClose: () => void;
  readonly onSearch: (q: string) => void;
  readonly onOpen: (correlationId: string) => void;
}

const VERDICT_TEXT: Record<SmtpExplanation['verdict'], string> = {
  success: 'Delivered',
  hard: 'Hard bounce',
  soft: 'Soft bounce',
  policy: 'Policy block',
  unknown: 'Unclear',
};

/** Plain words for outcomes that come without an SMTP reply (the message was never handed to a server). */
const STATUS_NOTES: Record<string, string> = {
  PREVIOUSLY_BOUNCED:
    'Not sent: this address bounced hard before, so Retarus blocked the send. See the earlier bounce; the customer needs a corrected address.',
  SUPPRESSED:
    'Not sent: the address is on a suppression list. The customer can check why it was suppressed and ask for removal if it is valid again.',
  INVALID_ADDRESS: 'Not sent: the address is not a valid e-mail address. The customer should correct it.',
  FORBIDDEN_RECIPIENT:
    'Not sent: this recipient is not allowed for the account. Check the account’s recipient rules.',
  VALIDATION_ERROR:
    'Not sent: the message failed validation at submission. Check the request the customer sent.',
  PROCESSING_FAILED:
    'Not sent: processing failed at Retarus. Retry, and contact Retarus support if it repeats.',
};

function Explanation({ e }: { readonly e: SmtpExplanation }): React.JSX.Element {
  return (
    <div className={`explain verdict-${e.verdict}`} data-testid="explanation">
      <div className="explain-head">
        <span className={`verdict verdict-${e.verdict}`}>{VERDICT_TEXT[e.verdict]}</span>
        <strong>{e.summary}</strong>
      </div>
      {(e.basicMeaning || e.enhancedMeaning) && (
        <dl className="explain-codes">
          {e.basicCode != null && e.basicMeaning && (
            <>
              <dt>{e.basicCode}</dt>
              <dd>{e.basicMeaning}</dd>
            </>
          )}
          {e.enhancedCode && e.enhancedMeaning && (
            <>
              <dt>{e.enhancedCode}</dt>
              <dd>{e.enhancedMeaning}</dd>
            </>
          )}
        </dl>
      )}
      <p className="explain-next">
        <span className="muted">Next step: </span>
        {e.nextStep}
      </p>
    </div>
  );
}

function Entry({
  entry,
  first,
}: {
  readonly entry: DrilldownEntry;
  readonly first: boolean;
}): React.JSX.Element {
  const r = entry.record;
  return (
    <li className="timeline-entry">
      <div className="timeline-head">
        <time title={`As exported: ${plain(r.creation_time)}`}>{formatTime(r.creation_time_ms)}</time>
        <span className="muted">version {plain(r.version)}</span>
        {r.status && <Chip value={String(r.status)} />}
        {r.substatus && <Chip value={String(r.substatus)} />}
        {r.status_details && <Chip value={String(r.status_details)} />}
      </div>
      {r.smtp_status_code && <pre className="smtp-text">{String(r.smtp_status_code)}</pre>}
      {entry.explanation && <Explanation e={entry.explanation} />}
      {!r.smtp_status_code && STATUS_NOTES[String(r.status_details)] && (
        <p className="status-note">{STATUS_NOTES[String(r.status_details)]}</p>
      )}
      {!first && entry.changes.length > 0 && (
        <table className="changes">
          <caption>Changed since the previous record</caption>
          <tbody>
            {entry.changes.map((c) => (
              <tr key={c.column}>
                <th scope="row">{columnById(c.column).header}</th>
                <td className="from">{plain(c.from) || '(empty)'}</td>
                <td aria-hidden>→</td>
                <td className="to">{plain(c.to) || '(empty)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

function quickFilters(r: RecordRow | undefined): { label: string; q: string }[] {
  if (!r) return [];
  const out: { label: string; q: string }[] = [];
  if (r.message_to) out.push({ label: 'This recipient', q: `to:${searchValue(String(r.message_to))}` });
  if (r.job_id) out.push({ label: 'This job', q: `job:${searchValue(String(r.job_id))}` });
  if (r.campaign_id)
    out.push({ label: 'This campaign', q: `campaign:${searchValue(String(r.campaign_id))}` });
  return out;
}

export function DrilldownPanel({
  correlationId,
  onClose,
  onSearch,
  onOpen,
}: DrilldownPanelProps): React.JSX.Element {
  const [data, setData] = useState<Drilldown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeBtn = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    call('correlation:get', { correlationId }).then(
      (d) => live && setData(d),
      (err: unknown) => live && setError(errorText(err)),
    );
    closeBtn.current?.focus();
    return () => {
      live = false;
    };
  }, [correlationId]);

  const entries = data?.entries ?? [];
  const latest = entries[entries.length - 1]?.record;

  return (
    <aside
      className="drawer"
      role="dialog"
      aria-label={`Message ${correlationId}`}
      data-testid="drilldown"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <header className="drawer-head">
        <div>
          <h2>Message timeline</h2>
          <p className="muted mono">{correlationId}</p>
          {latest?.message_to && <p className="drawer-recipient">To {String(latest.message_to)}</p>}
          <TypoHintLine record={latest} onSearch={onSearch} />
        </div>
        <button ref={closeBtn} type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="drawer-actions">
        {quickFilters(latest).map((f) => (
          <button key={f.label} type="button" onClick={() => onSearch(f.q)} title={f.q}>
            {f.label}
          </button>
        ))}
      </div>
      <div className="drawer-body">
        {error && <p className="inline-error">{error}</p>}
        {!data && !error && <p className="muted">Loading…</p>}
        {data?.summary && (
          <p className={`story story-${data.summary.outcome}`} data-testid="drilldown-summary">
            <strong>Outcome:</strong> {describeSummary(data.summary, (ms) => formatShortTime(ms))}
          </p>
        )}
        {data && data.priorHardBounces.length > 0 && (
          <section className="prior">
            <h3>Why it was not sent: earlier hard bounce</h3>
            <ul>
              {data.priorHardBounces.map((r) => (
                <li key={r.id}>
                  <button type="button" className="link" onClick={() => onOpen(String(r.correlation_id))}>
                    {formatTime(r.creation_time_ms)} · {plain(r.smtp_status_code) || plain(r.status_details)}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {data && (
          <ol className="timeline">
            {entries.map((e, i) => (
              <Entry key={e.record.id} entry={e} first={i === 0} />
            ))}
          </ol>
        )}
      </div>
    </aside>
  );
}
