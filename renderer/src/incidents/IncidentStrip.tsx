/** Incidents marked under the time histogram, on its time axis; a click filters to the incident. */
import type { Incident } from '../../../common/insights';
import { formatTime } from '../format';

export function IncidentStrip({
  incidents,
  from,
  to,
  onPick,
}: {
  readonly incidents: readonly Incident[];
  readonly from: number | null;
  readonly to: number | null;
  readonly onPick: (incident: Incident) => void;
}): React.JSX.Element | null {
  if (from === null || to === null || to <= from) return null;
  const visible = incidents.filter((i) => i.end > from && i.start < to);
  if (visible.length === 0) return null;
  const span = to - from;
  return (
    <div className="incident-strip" data-testid="incident-strip">
      {visible.map((i) => {
        const left = ((Math.max(i.start, from) - from) / span) * 100;
        const width = ((Math.min(i.end, to) - Math.max(i.start, from)) / span) * 100;
        const text = `Incident at ${i.label}, ${formatTime(i.start)} – ${formatTime(i.end)}: ${i.why}`;
        return (
          <button
            key={`${i.key}-${i.start}`}
            type="button"
            style={{ left: `${left}%`, width: `${width}%` }}
            title={text}
            aria-label={text}
            data-testid="incident-mark"
            onClick={() => onPick(i)}
          />
        );
      })}
    </div>
  );
}
