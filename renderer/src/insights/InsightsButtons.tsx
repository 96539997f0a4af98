/** Toolbar buttons that open the answers: recipient domains, bounce incidents, likely typos, case report. */
import './insights.css';

export type InsightView = 'domains' | 'incidents' | 'typos' | 'report';

const BUTTONS: readonly { view: InsightView; label: string; title: string }[] = [
  { view: 'domains', label: 'Domains', title: 'Recipient domains and providers under the current filter' },
  { view: 'incidents', label: 'Incidents', title: 'Hours in which a provider bounced far more than usual' },
  { view: 'typos', label: 'Typos', title: 'Hard-bounced addresses that look mistyped' },
  { view: 'report', label: 'Report…', title: 'Save a case report of the current filter (HTML or PDF)' },
];

export function InsightsButtons({
  disabled,
  onOpen,
}: {
  readonly disabled: boolean;
  readonly onOpen: (view: InsightView) => void;
}): React.JSX.Element {
  return (
    <nav className="actions insights-actions" aria-label="Insights">
      {BUTTONS.map((b) => (
        <button key={b.view} type="button" disabled={disabled} title={b.title} onClick={() => onOpen(b.view)}>
          {b.label}
        </button>
      ))}
    </nav>
  );
}
