/** Bounce incidents of the case, each with "why this is flagged"; a click filters to the incident. */
import type { Incident, IncidentsReport } from '../../../common/insights';
import { formatCount, formatTime } from '../format';
import { Dialog } from '../ui/Dialog';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function IncidentsView({
  data,
  onClose,
  onPick,
}: {
  readonly data: IncidentsReport | null;
  readonly onClose: () => void;
  readonly onPick: (incident: Incident) => void;
}): React.JSX.Element {
  return (
    <Dialog title="Bounce incidents" onClose={onClose} wide testId="incidents-view">
      {!data && <p className="muted">Looking for incidents…</p>}
      {data && data.incidents.length === 0 && (
        <p className="summary-line">
          No incident: none of the {formatCount(data.unitsChecked)} providers and domains with enough volume
          had an hour far above its own bounce rate.
        </p>
      )}
      {data && data.incidents.length > 0 && (
        <ul className="incident-list" data-testid="incident-list">
          {data.incidents.map((i) => (
            <li key={`${i.key}-${i.start}`}>
              <div>
                <span className={`severity severity-${i.severity}`}>{i.severity}</span>{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => onPick(i)}
                  title="Filter the grid to this incident"
                >
                  <strong>{i.label}</strong> · {formatTime(i.start)} – {formatTime(i.end)}
                </button>{' '}
                <span className="muted">
                  {formatCount(i.bounced)} of {formatCount(i.messages)} bounced ({pct(i.rate)}; usually{' '}
                  {pct(i.baselineRate)})
                </span>
              </div>
              {i.dominantReply && (
                <div className="small">
                  Dominant reply <strong>{i.dominantReply.code}</strong>: {i.dominantReply.summary}
                </div>
              )}
              <p className="why" data-testid="incident-why">
                <span className="muted">Why this is flagged: </span>
                {i.why}
              </p>
            </li>
          ))}
        </ul>
      )}
      {data && (
        <p className="muted method">
          <strong>Method.</strong> {data.method}
        </p>
      )}
    </Dialog>
  );
}
