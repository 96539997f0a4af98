/** The active filters other than the search text, each removable: facet picks, column filters, time range. */
import { columnById } from '../../common/columns';
import type { ColumnCondition } from '../../common/contract';
import { FACET_LABELS, type FacetPick, type ViewFilter } from './filter';
import { formatTime } from './format';

function conditionText(c: ColumnCondition): string {
  const h = columnById(c.column).header;
  switch (c.type) {
    case 'text':
      return `${h} ${c.negate ? 'not ' : ''}${c.op} “${c.value}”`;
    case 'enum':
      return `${h} ${c.negate ? 'not ' : ''}in ${c.values.join(', ')}`;
    case 'number':
      return `${h} ${c.min ?? '…'}–${c.max ?? '…'}`;
    case 'time':
      return `${h} ${c.from != null ? formatTime(c.from) : '…'} – ${c.to != null ? formatTime(c.to) : '…'}`;
  }
}

export function FilterChips({
  view,
  onRemovePick,
  onClearGrid,
  onClearTime,
  onClearAll,
}: {
  readonly view: ViewFilter;
  readonly onRemovePick: (p: FacetPick) => void;
  readonly onClearGrid: () => void;
  readonly onClearTime: () => void;
  readonly onClearAll: () => void;
}): React.JSX.Element {
  const hasTime = view.timeFrom != null || view.timeTo != null;
  const any = view.picks.length > 0 || view.grid.length > 0 || hasTime || view.q.trim() !== '';
  return (
    <div className="filter-chips" aria-label="Active filters">
      {view.picks.map((p) => (
        <button
          key={`${p.facet}:${p.value}`}
          type="button"
          className={`filter-chip${p.exclude ? ' exclude' : ''}`}
          title="Remove this filter"
          onClick={() => onRemovePick(p)}
        >
          {FACET_LABELS[p.facet]} {p.exclude ? '≠' : '='} {p.value || '(empty)'} ✕
        </button>
      ))}
      {view.grid.map((c) => (
        <button
          key={`g-${c.column}`}
          type="button"
          className="filter-chip"
          title="Clear column filters"
          onClick={onClearGrid}
        >
          {conditionText(c)} ✕
        </button>
      ))}
      {hasTime && (
        <button type="button" className="filter-chip" onClick={onClearTime} title="Clear the time range">
          {view.timeFrom != null ? formatTime(view.timeFrom) : '…'} –{' '}
          {view.timeTo != null ? formatTime(view.timeTo) : '…'} ✕
        </button>
      )}
      {!any && (
        <span className="filter-hint muted">
          Showing everything. Search above, click a facet, drag across the chart, or use a column's filter.
        </span>
      )}
      {any && (
        <button type="button" className="link" onClick={onClearAll}>
          Clear all filters
        </button>
      )}
    </div>
  );
}
