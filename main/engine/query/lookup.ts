/** Batch lookup: one line per address with its record count and latest outcome. */
import type { Database } from 'better-sqlite3';
import { LIMITS, type LookupLine } from '../../../common/contract';
import { EngineError } from '../errors';
import { isList } from './filter';
import { TO_INDEX } from './grid-partial';
import { partialIndexUpto, perSide, sidesOf, unionOfSides } from './partial-index';

interface Latest {
  status: string | null;
  substatus: string | null;
  status_details: string | null;
  creation_time: string | null;
  creation_time_ms: number | null;
  smtp_status_code: string | null;
  correlation_id: string | null;
}

/** Addresses match case-insensitively and ignoring surrounding spaces and angle brackets. */
export function normaliseAddress(a: string): string {
  return a
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .trim();
}

export function lookupAddresses(db: Database, addresses: readonly string[]): LookupLine[] {
  if (!isList(addresses) || addresses.some((a) => typeof a !== 'string')) {
    throw new EngineError('INVALID_ARGUMENT', 'addresses must be a list of strings', { path: 'addresses' });
  }
  if (addresses.length > LIMITS.maxLookupAddresses) {
    throw new EngineError('INVALID_ARGUMENT', `at most ${LIMITS.maxLookupAddresses} addresses at a time`, {
      path: 'addresses',
    });
  }
  // Both use the (lower(message_to), creation_time_ms) index, a partial one up to its bound with the
  // records above it read by rowid (grid-partial.ts): each side counted and ordered on its own.
  const upto = partialIndexUpto(db, TO_INDEX.name);
  const sides = sidesOf(upto);
  const count = db.prepare(
    `SELECT ${sides.map((side) => `(SELECT count(*) FROM records WHERE ${side} AND lower(message_to) = lower(?))`).join(' + ')} AS n`,
  );
  const last = unionOfSides(
    upto,
    (
      side,
    ) => `SELECT id, status, substatus, status_details, creation_time, creation_time_ms, smtp_status_code,
       correlation_id FROM records WHERE ${side} AND lower(message_to) = lower(?)
       ORDER BY creation_time_ms DESC, id DESC LIMIT 1`,
  );
  const latest = db.prepare(`${last} ORDER BY creation_time_ms DESC, id DESC LIMIT 1`);
  const each = (address: string): string[] => perSide(upto, [address]);
  return addresses.map((raw) => {
    const address = normaliseAddress(raw);
    const found = address === '' ? 0 : (count.get(...each(address)) as { n: number }).n;
    const l = found > 0 ? (latest.get(...each(address)) as Latest) : undefined;
    return {
      address,
      found,
      latestStatus: l?.status ?? null,
      latestSubstatus: l?.substatus ?? null,
      latestDetails: l?.status_details ?? null,
      latestTime: l?.creation_time ?? null,
      latestTimeMs: l?.creation_time_ms ?? null,
      latestSmtp: l?.smtp_status_code ?? null,
      correlationId: l?.correlation_id ?? null,
    };
  });
}
