/**
 * `--time-zone` of `import` and `correlation`. Its own module so that `correlation` (commands/rows.ts,
 * which `query` shares) does not load commands/import: that pulled in the importer, the Excel reader
 * and iconv-lite, 60 of the 178 modules `query` loaded (timed require under load: rows.js 447 ms with
 * them; see README, issue 12, 12w).
 */
import { isValidZone } from '../../common/time-zone';
import { UsageError } from './args';

/** `--time-zone`: the zone of times written without an offset (default UTC, as the portal exports). */
export function parseTimeZone(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const given = value; // isValidZone narrows `value` to never when it fails
  if (isValidZone(given)) return given;
  throw new UsageError(`--time-zone must be UTC or an IANA zone such as Europe/Berlin (got "${value}")`);
}
