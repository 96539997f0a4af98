/**
 * Value-set filter for the enum columns (AG Grid's Set Filter is Enterprise-only). The model is
 * { values, negate }; the grid hands it to the datasource, which turns it into an enum condition.
 * Rows are filtered by the engine, so doesFilterPass is never consulted by the Infinite Row Model.
 */
import type { IDoesFilterPassParams } from 'ag-grid-community';
import { useGridFilter, type CustomFilterProps } from 'ag-grid-react';
import { useCallback } from 'react';
import type { RecordRow } from '../../../common/contract';
import type { EnumFilterModel } from '../filter';

interface EnumFilterParams {
  readonly values: readonly string[];
}

export function EnumFilter(
  props: CustomFilterProps<RecordRow, unknown, EnumFilterModel> & EnumFilterParams,
): React.JSX.Element {
  const { model, onModelChange, values } = props;
  const selected = new Set(model?.values ?? []);
  const negate = model?.negate ?? false;

  const doesFilterPass = useCallback(
    (p: IDoesFilterPassParams<RecordRow>) => {
      if (!model) return true;
      const v = String(p.data[props.colDef.field as keyof RecordRow] ?? '');
      return model.values.includes(v) !== model.negate;
    },
    [model, props.colDef.field],
  );
  useGridFilter({ doesFilterPass });

  const update = (next: Set<string>, nextNegate: boolean): void => {
    onModelChange(next.size ? { values: values.filter((v) => next.has(v)), negate: nextNegate } : null);
  };
  const toggle = (v: string): void => {
    const next = new Set(selected);
    if (next.has(v)) next.delete(v);
    else next.add(v);
    update(next, negate);
  };

  return (
    <div className="enum-filter" role="group" aria-label={`Filter ${props.colDef.headerName ?? ''}`}>
      <label className="enum-filter-mode">
        <input type="checkbox" checked={negate} onChange={(e) => update(selected, e.target.checked)} />
        Exclude the selected values
      </label>
      <div className="enum-filter-values">
        {values.map((v) => (
          <label key={v}>
            <input type="checkbox" checked={selected.has(v)} onChange={() => toggle(v)} />
            {v}
          </label>
        ))}
      </div>
      <div className="enum-filter-actions">
        <button type="button" onClick={() => update(new Set(values), negate)}>
          All
        </button>
        <button type="button" onClick={() => onModelChange(null)}>
          Clear
        </button>
      </div>
    </div>
  );
}
