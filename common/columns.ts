/**
 * The 24 columns of a Retarus Transactional Email delivery export, as the portal names them today.
 * This is the single whitelist for everything that turns a column name into SQL: import mapping,
 * filters, sorting, facets and export. Shared by main and renderer (no Node or DOM imports here).
 */

export type ColumnKind = 'text' | 'integer' | 'time' | 'enum';

export interface ColumnDef {
  /** Stable id, also the SQL column name in `records`. */
  readonly id: ColumnId;
  /** Header text of a current export; used again when exporting. */
  readonly header: string;
  readonly kind: ColumnKind;
  /** Header names seen in older portal versions (matched after normalising case, spaces, punctuation). */
  readonly aliases: readonly string[];
  /** Value set from the portal documentation, for enum columns. */
  readonly values?: readonly string[];
  /** A file lacking any required column is not a delivery export. */
  readonly required?: boolean;
}

export const COLUMN_IDS = [
  'creation_time',
  'message_from',
  'message_to',
  'message_from_domain',
  'message_to_domain',
  'usage_id',
  'message_size',
  'status',
  'substatus',
  'status_details',
  'smtp_status_code',
  'reference_job',
  'correlation_id',
  'job_id',
  'cost_center',
  'provisioning_id',
  'tenant',
  'technical_account_id',
  'campaign_id',
  'meta_data_id',
  'version',
  'meta_data_creation_time',
  'entry_interface',
  'processing_region',
] as const;

export type ColumnId = (typeof COLUMN_IDS)[number];

export const STATUS_VALUES = ['OK', 'ERROR'] as const;
export const SUBSTATUS_VALUES = ['DELIVERED', 'BOUNCED', 'DROPPED'] as const;
export const STATUS_DETAILS_VALUES = [
  'VALIDATION_ERROR',
  'INVALID_ADDRESS',
  'FORBIDDEN_RECIPIENT',
  'PROCESSING_FAILED',
  'SUPPRESSED',
  'PREVIOUSLY_BOUNCED',
  'OK',
  'HARD_BOUNCE',
  'SOFT_BOUNCE',
] as const;
export const ENTRY_INTERFACE_VALUES = ['rest', 'smtp'] as const;
export const REGION_VALUES = ['DE1', 'DE2', 'US1', 'US2', 'SG1', 'CH1'] as const;

export const COLUMNS: readonly ColumnDef[] = [
  {
    id: 'creation_time',
    header: 'Creation Time',
    kind: 'time',
    aliases: ['Created', 'Created At', 'Timestamp'],
    required: true,
  },
  { id: 'message_from', header: 'Message From', kind: 'text', aliases: ['From', 'Sender', 'Sender Address'] },
  {
    id: 'message_to',
    header: 'Message To',
    kind: 'text',
    aliases: ['To', 'Recipient', 'Recipient Address'],
    required: true,
  },
  {
    id: 'message_from_domain',
    header: 'Message From Domain',
    kind: 'text',
    aliases: ['From Domain', 'Sender Domain'],
  },
  {
    id: 'message_to_domain',
    header: 'Message To Domain',
    kind: 'text',
    aliases: ['To Domain', 'Recipient Domain'],
  },
  { id: 'usage_id', header: 'Usage - ID', kind: 'text', aliases: ['Usage ID', 'UsageId'] },
  { id: 'message_size', header: 'Message Size', kind: 'integer', aliases: ['Size', 'Message Size (Bytes)'] },
  {
    id: 'status',
    header: 'Status',
    kind: 'enum',
    aliases: ['Status Code', 'Final Status'],
    values: STATUS_VALUES,
    required: true,
  },
  {
    id: 'substatus',
    header: 'Substatus',
    kind: 'enum',
    aliases: ['Sub Status', 'Sub-Status'],
    values: SUBSTATUS_VALUES,
  },
  {
    id: 'status_details',
    header: 'Status Details',
    kind: 'enum',
    aliases: ['Status Detail', 'Details'],
    values: STATUS_DETAILS_VALUES,
  },
  {
    id: 'smtp_status_code',
    header: 'SMTP Status Code',
    kind: 'text',
    aliases: ['SMTP Status', 'SMTP Code', 'SMTP Response', 'SMTP Reply'],
  },
  { id: 'reference_job', header: 'Reference Job', kind: 'text', aliases: ['Job Reference', 'Reference'] },
  { id: 'correlation_id', header: 'Correlation ID', kind: 'text', aliases: ['CorrelationId', 'Correlation'] },
  { id: 'job_id', header: 'Job ID', kind: 'text', aliases: ['JobId', 'Job'] },
  { id: 'cost_center', header: 'Cost Center', kind: 'text', aliases: ['Cost Centre', 'CostCenter'] },
  {
    id: 'provisioning_id',
    header: 'Provisioning ID',
    kind: 'text',
    aliases: ['ProvisioningId', 'Provisioning'],
  },
  { id: 'tenant', header: 'Tenant', kind: 'text', aliases: ['Tenant ID', 'Customer'] },
  {
    id: 'technical_account_id',
    header: 'Technical Account ID',
    kind: 'text',
    aliases: ['Technical Account', 'Account'],
  },
  { id: 'campaign_id', header: 'Campaign ID', kind: 'text', aliases: ['Campaign', 'CampaignId'] },
  {
    id: 'meta_data_id',
    header: 'Meta Data - ID',
    kind: 'text',
    aliases: ['Meta Data ID', 'Metadata ID', 'MetadataId'],
  },
  { id: 'version', header: 'Version', kind: 'integer', aliases: ['Meta Data Version', 'Metadata Version'] },
  {
    id: 'meta_data_creation_time',
    header: 'Meta Data Creation Time',
    kind: 'time',
    aliases: ['Metadata Creation Time', 'Meta Data Created'],
  },
  {
    id: 'entry_interface',
    header: 'Entry Interface',
    kind: 'enum',
    aliases: ['Interface', 'Entry interface', 'Channel'],
    values: ENTRY_INTERFACE_VALUES,
  },
  {
    id: 'processing_region',
    header: 'Processing Region',
    kind: 'enum',
    aliases: ['Region', 'Processing domain', 'Processing Domain'],
    values: REGION_VALUES,
  },
];

const BY_ID = new Map<string, ColumnDef>(COLUMNS.map((c) => [c.id, c]));

export function isColumnId(value: unknown): value is ColumnId {
  return typeof value === 'string' && BY_ID.has(value);
}

export function columnById(id: ColumnId): ColumnDef {
  const def = BY_ID.get(id);
  if (!def) throw new Error(`unknown column id ${id}`);
  return def;
}

/** Lower-case and drop everything but letters and digits: "Usage - ID" and "usage_id" both become "usageid". */
export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
