/**
 * The IPC contract: the single source of channel names, argument and result types, and pushed events.
 * main registers one handler per request channel, preload exposes one function per channel, the
 * renderer calls nothing else, and tests drive the same table. Plain types only: no Node, no DOM.
 */
import type { ColumnId } from './columns';
import type {
  CaseReport,
  DomainsReport,
  IncidentsReport,
  ReportFormat,
  TypoHint,
  TyposReport,
} from './insights';

// ---------------------------------------------------------------- errors

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'SEARCH_SYNTAX'
  | 'NOT_FOUND'
  | 'CANCELLED'
  | 'IMPORT_FAILED'
  | 'EXPORT_FAILED'
  | 'ENGINE_UNAVAILABLE'
  | 'FORBIDDEN'
  | 'INTERNAL';

/** Errors cross process boundaries as plain data and are rebuilt on the other side. */
export interface ErrorShape {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export type Envelope<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorShape };

// ---------------------------------------------------------------- filter model

export type SortDir = 'asc' | 'desc';
export interface SortKey {
  readonly column: ColumnId;
  readonly dir: SortDir;
}

export type TextOp = 'contains' | 'equals' | 'startsWith';

/** A grid column filter. Values are bound as parameters; `column` must be a whitelisted id. */
export type ColumnCondition =
  | {
      readonly type: 'text';
      readonly column: ColumnId;
      readonly op: TextOp;
      readonly value: string;
      readonly negate?: boolean;
    }
  | { readonly type: 'number'; readonly column: ColumnId; readonly min?: number; readonly max?: number }
  | { readonly type: 'time'; readonly column: ColumnId; readonly from?: number; readonly to?: number }
  | {
      readonly type: 'enum';
      readonly column: ColumnId;
      readonly values: readonly string[];
      readonly negate?: boolean;
    };

export interface FilterModel {
  /** Search-box text in the search syntax (free words, field:value, after:, size>N, -negation). */
  readonly q?: string;
  readonly conditions?: readonly ColumnCondition[];
  /** Inclusive lower / exclusive upper bound on Creation Time, epoch ms (histogram brush). */
  readonly timeFrom?: number;
  readonly timeTo?: number;
  /** Zone of dates typed without an offset in `q` (after:/before:); IANA name or 'UTC'; default UTC. */
  readonly timeZone?: string;
}

// ---------------------------------------------------------------- records

/** One record as the grid sees it: every column by id plus bookkeeping. */
export type RecordRow = { readonly [K in ColumnId]: string | number | null } & {
  readonly id: number;
  readonly import_id: number;
  readonly creation_time_ms: number | null;
};

export interface PageRequest {
  readonly filter: FilterModel;
  readonly sort: readonly SortKey[];
  readonly startRow: number;
  readonly endRow: number;
}
export interface PageResult {
  readonly rows: readonly RecordRow[];
  /** Total rows for the filter when known (AG Grid's lastRow), else undefined. */
  readonly lastRow?: number;
}

export interface FacetBucket {
  readonly value: string;
  readonly count: number;
}
/** Facets in the order the side panel and the CLI show them. */
export const FACET_NAMES = [
  'status',
  'substatus',
  'status_details',
  'smtp_class',
  'to_domain',
  'region',
  'interface',
] as const;
export type FacetName = (typeof FACET_NAMES)[number];
export type Facets = { readonly [K in FacetName]: readonly FacetBucket[] };

export type Outcome = 'delivered' | 'bounced' | 'dropped' | 'other';
export interface HistogramBucket {
  readonly start: number;
  /** Exclusive; a calendar day in the display zone is 23 or 25 hours on DST changes. */
  readonly end: number;
  readonly delivered: number;
  readonly bounced: number;
  readonly dropped: number;
  readonly other: number;
}
export interface Histogram {
  readonly bucketMs: number;
  readonly from: number | null;
  readonly to: number | null;
  readonly buckets: readonly HistogramBucket[];
}

export type Verdict = 'success' | 'hard' | 'soft' | 'policy' | 'unknown';
export interface SmtpExplanation {
  readonly input: string;
  readonly basicCode: number | null;
  readonly enhancedCode: string | null;
  readonly basicMeaning: string | null;
  readonly enhancedMeaning: string | null;
  readonly summary: string;
  readonly verdict: Verdict;
  readonly nextStep: string;
}

export interface FieldChange {
  readonly column: ColumnId;
  readonly from: string | number | null;
  readonly to: string | number | null;
}
export interface DrilldownEntry {
  readonly record: RecordRow;
  /** Differences to the previous record of the same Correlation ID. */
  readonly changes: readonly FieldChange[];
  readonly explanation: SmtpExplanation | null;
}
export interface Drilldown {
  readonly correlationId: string;
  readonly entries: readonly DrilldownEntry[];
  /** For PREVIOUSLY_BOUNCED / SUPPRESSED records: earlier hard bounces of the same recipient. */
  readonly priorHardBounces: readonly RecordRow[];
  /** How the story ended (see common/outcome-text.ts for the sentence); null without records. */
  readonly summary: DrilldownSummary | null;
}

export type BounceKind = 'soft' | 'hard' | 'policy' | 'unknown';
export type FinalOutcome = 'delivered' | 'bounced' | 'dropped' | 'failed' | 'accepted' | 'unknown';
export interface DrilldownSummary {
  readonly outcome: FinalOutcome;
  /** The outcome in words: "delivered", "hard bounce", "dropped (PREVIOUSLY_BOUNCED)". */
  readonly outcomeText: string;
  /** Creation Time of the last record, epoch ms. */
  readonly finalMs: number | null;
  readonly firstMs: number | null;
  /** Records (versions) of the Correlation ID, the last one included. */
  readonly attempts: number;
  /** From the first record to the last. */
  readonly spanMs: number | null;
  /** Bounces before the last record, by kind, in first-seen order. */
  readonly earlierBounces: readonly { readonly kind: BounceKind; readonly count: number }[];
}

export interface LookupLine {
  readonly address: string;
  readonly found: number;
  readonly latestStatus: string | null;
  readonly latestSubstatus: string | null;
  readonly latestDetails: string | null;
  readonly latestTime: string | null;
  readonly latestTimeMs: number | null;
  readonly latestSmtp: string | null;
  readonly correlationId: string | null;
}

/** Batch-lookup lines written to a CSV file the user chose (one line per address). */
export interface LookupExportRequest {
  readonly path: string;
  /** 'csv' when absent; for 'xlsx' delimiter, bom and formulaGuard do not apply. */
  readonly format?: ExportFormat;
  /** .xlsx only: IANA zone the times are shown in; UTC when absent. */
  readonly timeZone?: string;
  readonly addresses: readonly string[];
  readonly delimiter: ',' | ';';
  readonly bom: boolean;
  /** Always on for lookup files (absent means on); only the record export dialog can turn it off. */
  readonly formulaGuard?: true;
}

// ---------------------------------------------------------------- import

export type Delimiter = ',' | ';' | '\t' | '|';
export type EncodingName = 'utf-8' | 'windows-1252';

export interface ImportRequest {
  /** Chosen by the caller so it can cancel before the call returns. */
  readonly jobId: string;
  readonly paths: readonly string[];
  readonly delimiter?: Delimiter;
  readonly encoding?: EncodingName;
  /** Read the file even when an identical one (same size and SHA-256) was imported before. */
  readonly force?: boolean;
  /** Zone of zone-less times in the files (IANA name or 'UTC'); default UTC, as the portal exports. */
  readonly timeZone?: string;
  /**
   * Id of an earlier import whose records this one file replaces in the same transaction (to read
   * it again in another zone): its records go only if the new ones commit. Implies `force`.
   */
  readonly replaces?: number;
}

/** Per enum column: rows whose value (trimmed, case-folded) is not a documented one, and the first such values. */
export type UnknownEnumValues = Readonly<
  Partial<Record<ColumnId, { readonly rows: number; readonly values: readonly string[] }>>
>;

export interface RowError {
  readonly line: number;
  readonly column?: string;
  readonly reason: string;
}

/** An Excel workbook's sheet: imported (its header is an export header) or left out, and why. */
export interface SheetReport {
  readonly name: string;
  readonly imported: boolean;
  readonly reason?: string;
}

export interface FileImportResult {
  readonly file: string;
  readonly importId: number | null;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** First rejected rows (all are in the database); `rejected` is the full count. */
  readonly errors: readonly RowError[];
  /** Set when the file failed whole; nothing of it was stored. */
  readonly error?: string;
  readonly delimiter?: Delimiter;
  readonly encoding?: EncodingName;
  readonly timezoneAssumed?: string;
  readonly unknownColumns?: readonly string[];
  /**
   * Data records read: imported + duplicates + rejected. Every record of the file is exactly one of
   * them (blank lines are no records).
   */
  readonly records?: number;
  /** Of the rejected rows, those left out for a byte that is not valid in the file's encoding. */
  readonly encodingRejected?: number;
  /** The encoding was detected as UTF-8, but from this byte offset on the file is Windows-1252 (all before it was ASCII). */
  readonly encodingSwitchedAt?: number;
  /** Enum columns holding values outside the documented set (kept, searchable as `field:value`). */
  readonly unknownValues?: UnknownEnumValues;
  /**
   * Set when the file was not read because an identical file (same size and content hash) was
   * imported before: the counts are that import's, and nothing was stored now.
   */
  readonly alreadyImported?: { readonly importId: number; readonly finishedAt: number };
  /** Set for an Excel workbook: every sheet, imported or not. */
  readonly sheets?: readonly SheetReport[];
  readonly durationMs: number;
}

export interface ImportResult {
  readonly files: readonly FileImportResult[];
  readonly cancelled: boolean;
}

/** `waiting`: another import holds the workspace's write lock; this one starts when it ends (or is cancelled). */
export type ImportPhase = 'waiting' | 'sniffing' | 'rows' | 'indexes' | 'search-index' | 'memories' | 'done';
export interface ImportProgress {
  readonly jobId: string;
  readonly file: string;
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly phase: ImportPhase;
  readonly rows: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly rowsPerSecond: number;
}

export interface ImportHistoryEntry {
  readonly id: number;
  readonly fileName: string;
  readonly fileSize: number;
  readonly encoding: string;
  readonly delimiter: string;
  readonly timezoneAssumed: string;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly status: 'running' | 'done' | 'failed' | 'cancelled' | 'removed';
  /** Why a failed or cancelled import stopped (nothing of it was stored), or when and how a removed one went. */
  readonly error: string | null;
}

export interface RejectedRow {
  readonly line: number;
  readonly column: string | null;
  readonly reason: string;
  readonly raw: string;
}

// ---------------------------------------------------------------- export

export interface ExportRequest {
  readonly jobId: string;
  readonly path: string;
  readonly filter: FilterModel;
  readonly sort: readonly SortKey[];
  /** Defaults to all 24 columns in export order. */
  readonly columns?: readonly ColumnId[];
  readonly delimiter: ',' | ';';
  readonly bom: boolean;
  /** Escape cells a spreadsheet would run as formulas; absent means on. False only from the export dialog's option. */
  readonly formulaGuard?: boolean;
  /** 'csv' when absent. For 'xlsx' delimiter, bom and formulaGuard do not apply. */
  readonly format?: ExportFormat;
  /**
   * The display zone (IANA name or 'UTC'). CSV: Creation Time and Meta Data Creation Time are written
   * in it with their offset; .xlsx: times are shown in it (stated in a note on the time headers).
   * Absent: CSV writes the times' text as imported, .xlsx shows UTC.
   */
  readonly timeZone?: string;
}
export type ExportFormat = 'csv' | 'xlsx';
export interface ExportResult {
  readonly path: string;
  readonly rowsWritten: number;
  readonly expectedRows: number;
  readonly bytes: number;
  readonly durationMs: number;
  /** .xlsx only: sheets written (a sheet holds at most 1,048,575 rows). */
  readonly sheets?: number;
  /** .xlsx only: cells cut to Excel's 32,767-character limit (marked "…[truncated]"). */
  readonly truncatedCells?: number;
}
export interface ExportProgress {
  readonly jobId: string;
  readonly rowsWritten: number;
  readonly totalRows: number;
}

// ---------------------------------------------------------------- workspace

export interface WorkspaceInfo {
  readonly path: string;
  readonly name: string;
  readonly records: number;
  readonly imports: number;
  readonly searchIndexReady: boolean;
  readonly sqliteVersion: string;
}

// ---------------------------------------------------------------- channels

/** Every request channel: `domain:verb` → argument and result. */
export interface Requests {
  'workspace:info': { args: Record<string, never>; result: WorkspaceInfo };
  'workspace:recent': { args: Record<string, never>; result: readonly string[] };
  'workspace:new': { args: Record<string, never>; result: WorkspaceInfo | null };
  'workspace:open': { args: { path?: string }; result: WorkspaceInfo | null };
  'settings:get': { args: { key: string }; result: string | null };
  'settings:set': { args: { key: string; value: string }; result: true };
  'imports:list': { args: Record<string, never>; result: readonly ImportHistoryEntry[] };
  'imports:rejected': {
    args: { importId: number; offset: number; limit: number };
    result: { total: number; rows: readonly RejectedRow[] };
  };
  'import:pick': { args: Record<string, never>; result: readonly string[] };
  'import:start': { args: ImportRequest; result: ImportResult };
  'import:cancel': { args: { jobId: string }; result: boolean };
  /** Deletes an import's records (the history keeps the entry, as removed). */
  'imports:remove': {
    args: { importId: number };
    result: { readonly importId: number; readonly records: number };
  };
  'rows:page': { args: PageRequest; result: PageResult };
  'rows:count': { args: { filter: FilterModel }; result: number };
  'facets:get': { args: { filter: FilterModel; top?: number }; result: Facets };
  'histogram:get': {
    /** timeZone: the display zone the buckets follow (days start at its midnight); default the filter's, else UTC. */
    args: { filter: FilterModel; buckets?: number; timeZone?: string };
    result: Histogram;
  };
  'correlation:get': { args: { correlationId: string }; result: Drilldown };
  'smtp:explain': { args: { text: string }; result: SmtpExplanation };
  'lookup:batch': { args: { addresses: readonly string[] }; result: readonly LookupLine[] };
  'lookup:export': { args: LookupExportRequest; result: { readonly path: string; readonly rows: number } };
  'export:pick': { args: { suggestedName: string }; result: string | null };
  'export:start': { args: ExportRequest; result: ExportResult };
  'export:cancel': { args: { jobId: string }; result: boolean };
  'shell:showInFolder': { args: { path: string }; result: true };
  'insights:domains': { args: { filter: FilterModel; limit?: number }; result: DomainsReport };
  'insights:incidents': { args: { filter: FilterModel }; result: IncidentsReport };
  'insights:typos': { args: { filter: FilterModel; limit?: number }; result: TyposReport };
  'insights:suggest': { args: { addresses: readonly string[] }; result: readonly (TypoHint | null)[] };
  'report:html': { args: { filter: FilterModel; rows?: number }; result: CaseReport };
  /** Asks where to save, then writes the report as HTML or PDF; null when the user cancelled. */
  'report:save': {
    args: { filter: FilterModel; format: ReportFormat };
    result: { readonly path: string; readonly bytes: number; readonly matching: number } | null;
  };
}

export type Channel = keyof Requests;
export type ArgsOf<C extends Channel> = Requests[C]['args'];
export type ResultOf<C extends Channel> = Requests[C]['result'];

export const CHANNELS = [
  'workspace:info',
  'workspace:recent',
  'workspace:new',
  'workspace:open',
  'settings:get',
  'settings:set',
  'imports:list',
  'imports:rejected',
  'import:pick',
  'import:start',
  'import:cancel',
  'rows:page',
  'rows:count',
  'facets:get',
  'histogram:get',
  'correlation:get',
  'smtp:explain',
  'lookup:batch',
  'lookup:export',
  'export:pick',
  'export:start',
  'export:cancel',
  'shell:showInFolder',
  'insights:domains',
  'insights:incidents',
  'insights:typos',
  'insights:suggest',
  'report:html',
  'report:save',
  'imports:remove',
] as const satisfies readonly Channel[];

/** Channels answered by the Electron shell itself (dialogs, files, workspaces), not by the engine workers. */
export const SHELL_CHANNELS = [
  'workspace:new',
  'workspace:open',
  'workspace:recent',
  'import:pick',
  'export:pick',
  'shell:showInFolder',
  'report:save',
] as const satisfies readonly Channel[];

export type MenuCommand = 'import' | 'export' | 'find' | 'toggle-theme' | 'new-workspace' | 'open-workspace';

/** Events pushed from main to the renderer. */
export interface Events {
  'import:progress': ImportProgress;
  'export:progress': ExportProgress;
  'engine:restarted': { readonly reason: string };
  'workspace:changed': WorkspaceInfo;
  'menu:command': { readonly command: MenuCommand };
  /** Files dropped on the window or opened via the OS, to be imported. */
  'files:opened': { readonly paths: readonly string[] };
}
export type EventName = keyof Events;
export const EVENTS = [
  'import:progress',
  'export:progress',
  'engine:restarted',
  'workspace:changed',
  'menu:command',
  'files:opened',
] as const satisfies readonly EventName[];

/** What preload puts on `window.api`: one function per channel, plus event subscription. */
export type Api = { readonly [C in Channel]: (args: ArgsOf<C>) => Promise<Envelope<ResultOf<C>>> } & {
  readonly on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => () => void;
};

/** Contract-level limits, checked in main before anything touches the engine. */
export const LIMITS = {
  maxPageSize: 1000,
  maxQueryLength: 2000,
  maxLookupAddresses: 10000,
  maxImportFiles: 200,
  maxPathLength: 4096,
  maxSettingLength: 100_000,
  /** More rows than any workspace holds (the product is sized for tens of millions). */
  maxRows: 1_000_000_000,
} as const;
