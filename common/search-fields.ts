/**
 * The fields of the search syntax (see search-syntax.ts): names, aliases, the column each searches and
 * a description and example for suggestions while typing. Pure TypeScript: no Node, no DOM.
 */
import {
  ENTRY_INTERFACE_VALUES,
  REGION_VALUES,
  STATUS_DETAILS_VALUES,
  STATUS_VALUES,
  SUBSTATUS_VALUES,
  type ColumnId,
} from './columns';

export type SearchFieldKind = 'contains' | 'equals' | 'enum' | 'smtp' | 'date' | 'size';

export interface SearchField {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly column: ColumnId;
  readonly kind: SearchFieldKind;
  readonly description: string;
  readonly example: string;
  readonly values?: readonly string[];
}

export const SEARCH_FIELDS: readonly SearchField[] = [
  {
    name: 'to',
    aliases: ['recipient'],
    column: 'message_to',
    kind: 'contains',
    description: 'Recipient address contains',
    example: 'to:jane@kunde.de',
  },
  {
    name: 'from',
    aliases: ['sender'],
    column: 'message_from',
    kind: 'contains',
    description: 'Sender address contains',
    example: 'from:billing',
  },
  {
    name: 'domain',
    aliases: ['todomain'],
    column: 'message_to_domain',
    kind: 'equals',
    description: 'Recipient domain is',
    example: 'domain:kunde.de',
  },
  {
    name: 'fromdomain',
    aliases: [],
    column: 'message_from_domain',
    kind: 'equals',
    description: 'Sender domain is',
    example: 'fromdomain:example.com',
  },
  {
    name: 'status',
    aliases: [],
    column: 'status',
    kind: 'enum',
    values: STATUS_VALUES,
    description: 'Status is',
    example: 'status:error',
  },
  {
    name: 'substatus',
    aliases: [],
    column: 'substatus',
    kind: 'enum',
    values: SUBSTATUS_VALUES,
    description: 'Substatus is',
    example: 'substatus:bounced',
  },
  {
    name: 'details',
    aliases: [],
    column: 'status_details',
    kind: 'enum',
    values: STATUS_DETAILS_VALUES,
    description: 'Status Details is',
    example: 'details:hard_bounce',
  },
  {
    name: 'smtp',
    aliases: [],
    column: 'smtp_status_code',
    kind: 'smtp',
    description: 'SMTP reply code: basic (550), enhanced (5.1.1) or class (5xx)',
    example: 'smtp:5.1.1',
  },
  {
    name: 'corr',
    aliases: ['correlation'],
    column: 'correlation_id',
    kind: 'equals',
    description: 'Correlation ID is',
    example: 'corr:c0000000001-1a2b',
  },
  {
    name: 'job',
    aliases: [],
    column: 'job_id',
    kind: 'equals',
    description: 'Job ID is',
    example: 'job:J42',
  },
  {
    name: 'usage',
    aliases: [],
    column: 'usage_id',
    kind: 'equals',
    description: 'Usage ID is',
    example: 'usage:u-1-1',
  },
  {
    name: 'campaign',
    aliases: [],
    column: 'campaign_id',
    kind: 'equals',
    description: 'Campaign ID is',
    example: 'campaign:spring-sale',
  },
  {
    name: 'costcenter',
    aliases: [],
    column: 'cost_center',
    kind: 'equals',
    description: 'Cost Center is',
    example: 'costcenter:CC7',
  },
  {
    name: 'region',
    aliases: [],
    column: 'processing_region',
    kind: 'enum',
    values: REGION_VALUES,
    description: 'Processing Region is',
    example: 'region:de1',
  },
  {
    name: 'interface',
    aliases: [],
    column: 'entry_interface',
    kind: 'enum',
    values: ENTRY_INTERFACE_VALUES,
    description: 'Entry Interface is',
    example: 'interface:smtp',
  },
  {
    name: 'tenant',
    aliases: [],
    column: 'tenant',
    kind: 'equals',
    description: 'Tenant is',
    example: 'tenant:acme',
  },
  {
    name: 'after',
    aliases: [],
    column: 'creation_time',
    kind: 'date',
    description: 'Created at or after (date or date-time, UTC unless an offset is given)',
    example: 'after:2026-10-05',
  },
  {
    name: 'before',
    aliases: [],
    column: 'creation_time',
    kind: 'date',
    description: 'Created before (date or date-time, UTC unless an offset is given)',
    example: 'before:"2026-10-06 12:00"',
  },
  {
    name: 'size',
    aliases: [],
    column: 'message_size',
    kind: 'size',
    description: 'Message size in bytes: size>N, size<N, size>=N, size<=N, size:N',
    example: 'size>100000',
  },
];

export const VALID_FIELD_NAMES: readonly string[] = SEARCH_FIELDS.map((f) => f.name);

export const FIELD_BY_NAME = new Map<string, SearchField>();
for (const f of SEARCH_FIELDS) for (const n of [f.name, ...f.aliases]) FIELD_BY_NAME.set(n, f);

/** Fields whose name or alias starts with `prefix` (case-insensitive), for suggestions while typing. */
export function suggestFields(prefix: string): readonly SearchField[] {
  const p = prefix.toLowerCase();
  return SEARCH_FIELDS.filter((f) => f.name.startsWith(p) || f.aliases.some((a) => a.startsWith(p)));
}
