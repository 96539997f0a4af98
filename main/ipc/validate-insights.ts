/** Validators of the insights and report channels, built from validate.ts's own checks. */
import { LIMITS, type ArgsOf, type FilterModel } from '../../common/contract';

type Obj = Record<string, unknown>;

export interface Checks {
  readonly obj: (v: unknown, path: string, allowed: readonly string[]) => Obj;
  readonly int: (v: unknown, path: string, min: number, max: number) => number;
  readonly str: (v: unknown, path: string, max: number, min?: number) => string;
  readonly oneOf: <T extends string>(v: unknown, path: string, values: readonly T[]) => T;
  readonly arr: (v: unknown, path: string, max: number) => readonly unknown[];
  readonly filterModel: (v: unknown, p?: string) => FilterModel;
}

type InsightsChannel =
  | 'insights:domains'
  | 'insights:incidents'
  | 'insights:typos'
  | 'insights:suggest'
  | 'report:html'
  | 'report:save';

export function insightsValidators(c: Checks): {
  readonly [C in InsightsChannel]: (raw: unknown) => ArgsOf<C>;
} {
  const withLimit = (v: unknown, max: number): { filter: FilterModel; limit?: number } => {
    const o = c.obj(v, 'args', ['filter', 'limit']);
    return {
      filter: c.filterModel(o.filter, 'args.filter'),
      ...(o.limit === undefined ? {} : { limit: c.int(o.limit, 'args.limit', 1, max) }),
    };
  };
  return {
    'insights:domains': (v) => withLimit(v, 10_000),
    'insights:incidents': (v) => ({
      filter: c.filterModel(c.obj(v, 'args', ['filter']).filter, 'args.filter'),
    }),
    'insights:typos': (v) => withLimit(v, 100_000),
    'insights:suggest': (v) => ({
      addresses: c
        .arr(c.obj(v, 'args', ['addresses']).addresses, 'args.addresses', LIMITS.maxLookupAddresses)
        .map((x, i) => c.str(x, `args.addresses[${i}]`, 500)),
    }),
    'report:html': (v) => {
      const o = c.obj(v, 'args', ['filter', 'rows']);
      return {
        filter: c.filterModel(o.filter, 'args.filter'),
        ...(o.rows === undefined ? {} : { rows: c.int(o.rows, 'args.rows', 0, 10_000) }),
      };
    },
    'report:save': (v) => {
      const o = c.obj(v, 'args', ['filter', 'format']);
      return {
        filter: c.filterModel(o.filter, 'args.filter'),
        format: c.oneOf(o.format, 'args.format', ['html', 'pdf'] as const),
      };
    },
  };
}
