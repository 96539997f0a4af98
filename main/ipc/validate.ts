/**
 * Boundary validation for every IPC argument. The renderer shows attacker-controlled data (imported
 * records), so nothing it sends is trusted: shapes, types, whitelisted column ids and limits are checked
 * here, in main, before anything reaches the engine. Unknown keys are rejected rather than ignored so a
 * typo in the renderer fails loudly in tests.
 */
import {
  LIMITS,
  type ArgsOf,
  type Channel,
  type ColumnCondition,
  type Delimiter,
  type EncodingName,
  type FilterModel,
  type SortKey,
} from '../../common/contract';
import { isSettingKey, SETTING_LIMITS, type SettingKey } from '../../common/settings';
import { insightsValidators } from './validate-insights';
import { isValidZone } from '../../common/time-zone';
import {
  fail,
  obj,
  str,
  optStr,
  int,
  optNum,
  timeZone,
  bool,
  arr,
  column,
  oneOf,
  path_,
} from './validate-checks';

/** Only the known settings (common/settings.ts), each with its own size limit. */
function settingKey(v: unknown, p: string): SettingKey {
  if (!isSettingKey(v)) fail(p, `unknown setting; known: ${Object.keys(SETTING_LIMITS).join(', ')}`);
  return v;
}

/** Lookup files are always guarded: the only switch for the guard is the record export dialog's. */
function alwaysGuarded(v: unknown): true {
  if (v !== true)
    fail(
      'args.formulaGuard',
      'lookup files are always guarded; only the export dialog can turn the guard off',
    );
  return true;
}

function jobId(v: unknown, p: string): string {
  const s = str(v, p, 64, 1);
  if (!/^[A-Za-z0-9_-]+$/.test(s)) fail(p, 'may contain only letters, digits, - and _');
  return s;
}

function empty(v: unknown, p: string): Record<string, never> {
  obj(v ?? {}, p, []);
  return {};
}

function condition(v: unknown, p: string): ColumnCondition {
  const base = obj(v, p, ['type', 'column', 'op', 'value', 'negate', 'min', 'max', 'from', 'to', 'values']);
  const col = column(base.column, `${p}.column`);
  const negate = base.negate === undefined ? undefined : bool(base.negate, `${p}.negate`);
  switch (base.type) {
    case 'text':
      return {
        type: 'text',
        column: col,
        op: oneOf(base.op, `${p}.op`, ['contains', 'equals', 'startsWith'] as const),
        value: str(base.value, `${p}.value`, LIMITS.maxQueryLength),
        ...(negate === undefined ? {} : { negate }),
      };
    case 'number':
      return {
        type: 'number',
        column: col,
        min: optNum(base.min, `${p}.min`),
        max: optNum(base.max, `${p}.max`),
      };
    case 'time':
      return {
        type: 'time',
        column: col,
        from: optNum(base.from, `${p}.from`),
        to: optNum(base.to, `${p}.to`),
      };
    case 'enum':
      return {
        type: 'enum',
        column: col,
        values: arr(base.values, `${p}.values`, 100).map((x, i) => str(x, `${p}.values[${i}]`, 200)),
        ...(negate === undefined ? {} : { negate }),
      };
    default:
      return fail(`${p}.type`, 'must be one of text, number, time, enum');
  }
}

/** The import a one-file re-import replaces. */
function replaces(v: unknown, files: number): number {
  const id = int(v, 'args.replaces', 1, Number.MAX_SAFE_INTEGER);
  if (files !== 1) fail('args.replaces', 'replaces one import with exactly one file');
  return id;
}

/** 'UTC' or an IANA zone name the runtime knows. */
function zone(v: unknown, p: string): string {
  if (!isValidZone(v)) fail(p, 'must be "UTC" or an IANA time zone such as "Europe/Berlin"');
  return v;
}

export function filterModel(v: unknown, p = 'filter'): FilterModel {
  const o = obj(v, p, ['q', 'conditions', 'timeFrom', 'timeTo', 'timeZone']);
  const q = optStr(o.q, `${p}.q`, LIMITS.maxQueryLength);
  const conditions =
    o.conditions === undefined
      ? undefined
      : arr(o.conditions, `${p}.conditions`, 50).map((c, i) => condition(c, `${p}.conditions[${i}]`));
  const timeFrom = optNum(o.timeFrom, `${p}.timeFrom`);
  const timeTo = optNum(o.timeTo, `${p}.timeTo`);
  return {
    ...(q === undefined ? {} : { q }),
    ...(conditions === undefined ? {} : { conditions }),
    ...(timeFrom === undefined ? {} : { timeFrom }),
    ...(timeTo === undefined ? {} : { timeTo }),
    ...(o.timeZone === undefined ? {} : { timeZone: zone(o.timeZone, `${p}.timeZone`) }),
  };
}

function sortKeys(v: unknown, p: string): SortKey[] {
  return arr(v, p, 5).map((s, i) => {
    const o = obj(s, `${p}[${i}]`, ['column', 'dir']);
    return {
      column: column(o.column, `${p}[${i}].column`),
      dir: oneOf(o.dir, `${p}[${i}].dir`, ['asc', 'desc'] as const),
    };
  });
}

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];
const ENCODINGS: readonly EncodingName[] = ['utf-8', 'windows-1252'];

export type Validators = { readonly [C in Channel]: (raw: unknown) => ArgsOf<C> };

export const validators: Validators = {
  'workspace:info': (v) => empty(v, 'args'),
  'workspace:recent': (v) => empty(v, 'args'),
  'workspace:new': (v) => empty(v, 'args'),
  'workspace:open': (v) => {
    const o = obj(v ?? {}, 'args', ['path']);
    return o.path === undefined ? {} : { path: path_(o.path, 'args.path') };
  },
  'settings:get': (v) => ({ key: settingKey(obj(v, 'args', ['key']).key, 'args.key') }),
  'settings:set': (v) => {
    const o = obj(v, 'args', ['key', 'value']);
    const key = settingKey(o.key, 'args.key');
    return { key, value: str(o.value, 'args.value', SETTING_LIMITS[key]) };
  },
  'imports:list': (v) => empty(v, 'args'),
  'imports:rejected': (v) => {
    const o = obj(v, 'args', ['importId', 'offset', 'limit']);
    return {
      importId: int(o.importId, 'args.importId', 1, Number.MAX_SAFE_INTEGER),
      offset: int(o.offset, 'args.offset', 0, Number.MAX_SAFE_INTEGER),
      limit: int(o.limit, 'args.limit', 1, LIMITS.maxPageSize),
    };
  },
  'import:pick': (v) => empty(v, 'args'),
  'import:start': (v) => {
    const o = obj(v, 'args', ['jobId', 'paths', 'delimiter', 'encoding', 'force', 'timeZone', 'replaces']);
    const paths = arr(o.paths, 'args.paths', LIMITS.maxImportFiles).map((x, i) =>
      path_(x, `args.paths[${i}]`),
    );
    if (paths.length === 0) fail('args.paths', 'name at least one file');
    return {
      jobId: jobId(o.jobId, 'args.jobId'),
      paths,
      ...(o.delimiter === undefined ? {} : { delimiter: oneOf(o.delimiter, 'args.delimiter', DELIMITERS) }),
      ...(o.encoding === undefined ? {} : { encoding: oneOf(o.encoding, 'args.encoding', ENCODINGS) }),
      ...(o.force === undefined ? {} : { force: bool(o.force, 'args.force') }),
      ...(o.timeZone === undefined ? {} : { timeZone: zone(o.timeZone, 'args.timeZone') }),
      ...(o.replaces === undefined ? {} : { replaces: replaces(o.replaces, paths.length) }),
    };
  },
  'imports:remove': (v) => ({
    importId: int(obj(v, 'args', ['importId']).importId, 'args.importId', 1, Number.MAX_SAFE_INTEGER),
  }),
  'import:cancel': (v) => ({ jobId: jobId(obj(v, 'args', ['jobId']).jobId, 'args.jobId') }),
  'rows:page': (v) => {
    const o = obj(v, 'args', ['filter', 'sort', 'startRow', 'endRow']);
    // Bounded by what a workspace can hold; the engine also answers past its own last row at once.
    const startRow = int(o.startRow, 'args.startRow', 0, LIMITS.maxRows);
    const endRow = int(o.endRow, 'args.endRow', startRow, LIMITS.maxRows + LIMITS.maxPageSize);
    if (endRow - startRow > LIMITS.maxPageSize)
      fail('args.endRow', `a page holds at most ${LIMITS.maxPageSize} rows`);
    return {
      filter: filterModel(o.filter, 'args.filter'),
      sort: sortKeys(o.sort ?? [], 'args.sort'),
      startRow,
      endRow,
    };
  },
  'rows:count': (v) => ({ filter: filterModel(obj(v, 'args', ['filter']).filter, 'args.filter') }),
  'facets:get': (v) => {
    const o = obj(v, 'args', ['filter', 'top']);
    return {
      filter: filterModel(o.filter, 'args.filter'),
      ...(o.top === undefined ? {} : { top: int(o.top, 'args.top', 1, 100) }),
    };
  },
  'histogram:get': (v) => {
    const o = obj(v, 'args', ['filter', 'buckets', 'timeZone']);
    return {
      filter: filterModel(o.filter, 'args.filter'),
      ...(o.buckets === undefined ? {} : { buckets: int(o.buckets, 'args.buckets', 1, 500) }),
      ...(o.timeZone === undefined ? {} : { timeZone: zone(o.timeZone, 'args.timeZone') }),
    };
  },
  'correlation:get': (v) => ({
    correlationId: str(obj(v, 'args', ['correlationId']).correlationId, 'args.correlationId', 500, 1),
  }),
  'smtp:explain': (v) => ({ text: str(obj(v, 'args', ['text']).text, 'args.text', 10_000) }),
  'lookup:batch': (v) => ({
    addresses: arr(obj(v, 'args', ['addresses']).addresses, 'args.addresses', LIMITS.maxLookupAddresses).map(
      (x, i) => str(x, `args.addresses[${i}]`, 500),
    ),
  }),
  'lookup:export': (v) => {
    const o = obj(v, 'args', ['path', 'addresses', 'delimiter', 'bom', 'formulaGuard', 'format', 'timeZone']);
    return {
      path: path_(o.path, 'args.path'),
      addresses: arr(o.addresses, 'args.addresses', LIMITS.maxLookupAddresses).map((x, i) =>
        str(x, `args.addresses[${i}]`, 500),
      ),
      delimiter: oneOf(o.delimiter, 'args.delimiter', [',', ';'] as const),
      bom: bool(o.bom, 'args.bom'),
      ...(o.formulaGuard === undefined ? {} : { formulaGuard: alwaysGuarded(o.formulaGuard) }),
      ...(o.format === undefined ? {} : { format: oneOf(o.format, 'args.format', ['csv', 'xlsx'] as const) }),
      ...(o.timeZone === undefined ? {} : { timeZone: timeZone(o.timeZone, 'args.timeZone') }),
    };
  },
  'export:pick': (v) => ({
    suggestedName: str(obj(v, 'args', ['suggestedName']).suggestedName, 'args.suggestedName', 255),
  }),
  'export:start': (v) => {
    const o = obj(v, 'args', [
      'jobId',
      'path',
      'filter',
      'sort',
      'columns',
      'delimiter',
      'bom',
      'formulaGuard',
      'format',
      'timeZone',
    ]);
    const columns =
      o.columns === undefined
        ? undefined
        : arr(o.columns, 'args.columns', 24).map((c, i) => column(c, `args.columns[${i}]`));
    if (columns && columns.length === 0) fail('args.columns', 'choose at least one column');
    return {
      jobId: jobId(o.jobId, 'args.jobId'),
      path: path_(o.path, 'args.path'),
      filter: filterModel(o.filter, 'args.filter'),
      sort: sortKeys(o.sort ?? [], 'args.sort'),
      ...(columns === undefined ? {} : { columns }),
      delimiter: oneOf(o.delimiter, 'args.delimiter', [',', ';'] as const),
      bom: bool(o.bom, 'args.bom'),
      // Absent means on (the engine's default); false is the export dialog's visible option.
      ...(o.formulaGuard === undefined ? {} : { formulaGuard: bool(o.formulaGuard, 'args.formulaGuard') }),
      ...(o.format === undefined ? {} : { format: oneOf(o.format, 'args.format', ['csv', 'xlsx'] as const) }),
      ...(o.timeZone === undefined ? {} : { timeZone: timeZone(o.timeZone, 'args.timeZone') }),
    };
  },
  'export:cancel': (v) => ({ jobId: jobId(obj(v, 'args', ['jobId']).jobId, 'args.jobId') }),
  'shell:showInFolder': (v) => ({ path: path_(obj(v, 'args', ['path']).path, 'args.path') }),
  ...insightsValidators({ obj, int, str, oneOf, arr, filterModel }),
};
