/**
 * Generated rows edited for the free-word tests of the kept token dictionary: empty, upper-case,
 * non-ASCII (`JÄNE`) and Kelvin-sign (`\u212Aane`) addresses, reply texts holding `jane`; optionally
 * addresses with LIKE wildcards and empty regions. One place, so the CLI count, the CLI facets and the
 * page reader's tests check the dictionary against the same odd spellings.
 */
import { COLUMNS } from '../../common/columns';

const TO = COLUMNS.findIndex((c) => c.id === 'message_to');
const SMTP = COLUMNS.findIndex((c) => c.id === 'smtp_status_code');
const REGION = COLUMNS.findIndex((c) => c.id === 'processing_region');

export interface OddWords {
  /** `50%jane_…` addresses: a LIKE wildcard in the value. */
  readonly wildcards?: boolean;
  /** Every 17th record's Processing Region empty. */
  readonly blankRegions?: boolean;
}

/** Row `i` of a generated file with the odd spellings above. */
export function oddWordRow(row: readonly string[], i: number, odd: OddWords = {}): string[] {
  const out = [...row];
  if (i % 31 === 0) out[TO] = '';
  else if (i % 29 === 0) out[TO] = `JÄNE.${i}@web.de`;
  else if (i % 23 === 0) out[TO] = `\u212Aane_${i}@web.de`;
  else if (odd.wildcards === true && i % 19 === 0) out[TO] = `50%jane_${i}@web.de`;
  else if (i % 13 === 0) out[TO] = out[TO].toUpperCase();
  if (i % 11 === 0) out[SMTP] = `550 5.1.1 jane ${i} left`;
  if (odd.blankRegions === true && i % 17 === 0) out[REGION] = '';
  return out;
}
