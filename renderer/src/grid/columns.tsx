/** Column definitions for the 24 export columns: headers, widths, filters, chips, local times, sizes. */
import type { ColDef, ICellRendererParams, ITooltipParams, ValueFormatterParams } from 'ag-grid-community';
import { COLUMNS, columnById, type ColumnDef, type ColumnId } from '../../../common/columns';
import type { RecordRow } from '../../../common/contract';
import { formatBytes, formatTime } from '../format';
import { EnumFilter } from './EnumFilter';

const WIDTHS: Partial<Record<ColumnId, number>> = {
  creation_time: 200,
  message_from: 220,
  message_to: 250,
  message_from_domain: 170,
  message_to_domain: 170,
  usage_id: 130,
  message_size: 105,
  status: 100,
  substatus: 125,
  status_details: 185,
  smtp_status_code: 340,
  reference_job: 130,
  correlation_id: 210,
  job_id: 110,
  campaign_id: 150,
  version: 95,
  meta_data_creation_time: 200,
  entry_interface: 135,
  processing_region: 150,
};

export type Tone = 'ok' | 'bad' | 'warn' | 'drop' | 'neutral';

export function toneOf(value: string): Tone {
  switch (value) {
    case 'OK':
    case 'DELIVERED':
      return 'ok';
    case 'ERROR':
    case 'BOUNCED':
    case 'HARD_BOUNCE':
    case 'INVALID_ADDRESS':
    case 'FORBIDDEN_RECIPIENT':
    case 'PROCESSING_FAILED':
    case 'VALIDATION_ERROR':
      return 'bad';
    case 'SOFT_BOUNCE':
      return 'warn';
    case 'DROPPED':
    case 'SUPPRESSED':
    case 'PREVIOUSLY_BOUNCED':
      return 'drop';
    default:
      return 'neutral';
  }
}

export function Chip({ value }: { readonly value: string }): React.JSX.Element {
  return <span className={`chip chip-${toneOf(value)}`}>{value}</span>;
}

function ChipCell(p: ICellRendererParams<RecordRow, string | null>): React.JSX.Element | null {
  return p.value ? <Chip value={p.value} /> : null;
}

function filterFor(def: ColumnDef): Pick<ColDef<RecordRow>, 'filter' | 'filterParams'> {
  switch (def.kind) {
    case 'enum':
      return { filter: EnumFilter, filterParams: { values: def.values ?? [] } };
    case 'integer':
      return {
        filter: 'agNumberColumnFilter',
        filterParams: {
          filterOptions: ['equals', 'greaterThanOrEqual', 'lessThanOrEqual', 'inRange'],
          maxNumConditions: 1,
          buttons: ['reset'],
        },
      };
    case 'time':
      return {
        filter: 'agDateColumnFilter',
        filterParams: {
          filterOptions: ['equals', 'greaterThan', 'lessThan', 'inRange'],
          maxNumConditions: 1,
          buttons: ['reset'],
        },
      };
    default:
      return {
        filter: 'agTextColumnFilter',
        filterParams: {
          filterOptions: ['contains', 'notContains', 'equals', 'notEqual', 'startsWith'],
          maxNumConditions: 1,
          debounceMs: 300,
          buttons: ['reset'],
        },
      };
  }
}

function timeColumn(id: ColumnId): Partial<ColDef<RecordRow>> {
  if (id !== 'creation_time') return { tooltipField: id };
  return {
    valueFormatter: (p: ValueFormatterParams<RecordRow>) =>
      p.data?.creation_time_ms != null ? formatTime(p.data.creation_time_ms) : String(p.value ?? ''),
    // The original text as exported, so nobody has to trust the conversion.
    tooltipValueGetter: (p: ITooltipParams<RecordRow>) =>
      p.data ? `As exported: ${String(p.data.creation_time ?? '')}` : '',
  };
}

/**
 * What a bounce investigation looks at first comes first; the rest keep the export's order. A saved
 * layout overrides this, and "Reset layout" returns to it.
 */
export const DEFAULT_COLUMN_ORDER: readonly ColumnId[] = [
  'creation_time',
  'message_to',
  'status',
  'substatus',
  'status_details',
  'smtp_status_code',
  'message_from',
];

export function defaultColumnOrder(): ColumnId[] {
  return [
    ...DEFAULT_COLUMN_ORDER,
    ...COLUMNS.map((c) => c.id).filter((id) => !DEFAULT_COLUMN_ORDER.includes(id)),
  ];
}

/** The default sort: newest first, shown as the arrow on Creation Time. */
export const DEFAULT_SORT = { column: 'creation_time', dir: 'desc' } as const;

export function buildColumnDefs(): ColDef<RecordRow>[] {
  return defaultColumnOrder().map((id): ColDef<RecordRow> => {
    const def = columnById(id);
    const base: ColDef<RecordRow> = {
      colId: def.id,
      field: def.id,
      headerName: def.header,
      headerTooltip: def.header,
      width: WIDTHS[def.id] ?? 150,
      // Bounds for fitting widths to the content: SMTP replies can be hundreds of characters long.
      minWidth: 80,
      maxWidth: def.id === 'smtp_status_code' || def.id === 'status_details' ? 420 : 360,
      ...(def.id === DEFAULT_SORT.column ? { sort: DEFAULT_SORT.dir } : {}),
      ...filterFor(def),
    };
    if (def.kind === 'enum') return { ...base, cellRenderer: ChipCell };
    if (def.kind === 'time') return { ...base, ...timeColumn(def.id) };
    if (def.id === 'message_size')
      return {
        ...base,
        type: 'rightAligned',
        valueFormatter: (p: ValueFormatterParams<RecordRow>) =>
          typeof p.value === 'number' ? formatBytes(p.value) : '',
        tooltipValueGetter: (p: ITooltipParams<RecordRow>) =>
          typeof p.value === 'number' ? `${p.value} bytes` : '',
      };
    if (def.kind === 'integer') return { ...base, type: 'rightAligned' };
    if (def.id === 'smtp_status_code') return { ...base, tooltipField: def.id };
    return base;
  });
}
