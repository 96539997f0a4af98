/**
 * Counts per value under the current filter, drawn as bars. Click filters to a value, Alt-click
 * excludes it; clicking an active value again removes it.
 */
import { memo } from 'react';
import { FACET_NAMES, type FacetName, type Facets } from '../../../common/contract';
import { FACET_LABELS, type FacetPick } from '../filter';
import { formatCount } from '../format';
import { toneOf } from '../grid/columns';

export interface FacetsPanelProps {
  readonly facets: Facets | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly picks: readonly FacetPick[];
  readonly onPick: (pick: FacetPick) => void;
}

// Memoised: a search re-renders the window, and the panel only needs to when its data changes.
export const FacetsPanel = memo(function FacetsPanel({
  facets,
  loading,
  error,
  picks,
  onPick,
}: FacetsPanelProps): React.JSX.Element {
  const stateOf = (facet: FacetName, value: string): 'include' | 'exclude' | null => {
    const p = picks.find((x) => x.facet === facet && x.value === value);
    return p ? (p.exclude ? 'exclude' : 'include') : null;
  };

  return (
    <aside className={`facets${loading ? ' is-loading' : ''}`} aria-label="Facets" aria-busy={loading}>
      <p className="facets-help muted">Click to filter · Alt-click to exclude</p>
      {error && <p className="inline-error">{error}</p>}
      {FACET_NAMES.map((name) => {
        const buckets = facets?.[name] ?? [];
        const max = Math.max(1, ...buckets.map((b) => b.count));
        return (
          <section key={name} className="facet" data-facet={name}>
            <h3>{FACET_LABELS[name]}</h3>
            {buckets.length === 0 && <p className="muted facet-empty">{facets ? 'No values' : '…'}</p>}
            <ul>
              {buckets.map((b) => {
                const state = stateOf(name, b.value);
                const label = b.value === '' ? '(empty)' : b.value;
                // The search syntax can name an SMTP class (smtp:5xx) but not the absence of a reply.
                const filterable = name !== 'smtp_class' || /^\dxx$/.test(b.value);
                return (
                  <li key={b.value}>
                    <button
                      type="button"
                      className={`facet-row${state ? ` facet-${state}` : ''}`}
                      title={`${label}: ${formatCount(b.count)} — click to filter, Alt-click to exclude`}
                      aria-pressed={state !== null}
                      disabled={!filterable}
                      onClick={(e) => onPick({ facet: name, value: b.value, exclude: e.altKey })}
                    >
                      <span className="facet-label">
                        {state === 'exclude' ? '≠ ' : ''}
                        {label}
                      </span>
                      <span className="facet-count">{formatCount(b.count)}</span>
                      <span
                        className={`facet-bar tone-${toneOf(b.value)}`}
                        style={{ width: `${(b.count / max) * 100}%` }}
                      />
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </aside>
  );
});
