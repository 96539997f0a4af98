/** Messages between the importing thread and its parse worker. */
import type { Delimiter, EncodingName, RejectedRow } from '../../../common/contract';

export interface ParserInit {
  readonly path: string;
  readonly encoding: EncodingName;
  /** Fail on invalid UTF-8 (auto-detected encoding) instead of replacing it (user-chosen encoding). */
  readonly strict: boolean;
  readonly delimiter: Delimiter;
  readonly columns: readonly (string | null)[];
  readonly headers: readonly string[];
  /** Physical lines before the header (Excel's `sep=` line). */
  readonly skipLines: number;
  /** Zone of zone-less times (IANA name or 'UTC'); absent = UTC. */
  readonly timeZone?: string;
}

export type FromParser =
  | {
      readonly type: 'batch';
      /** TEXT_WIDTH values per row joined by FIELD_SEP; '' for a batch without rows. */
      readonly data: string;
      /** NUM_WIDTH numbers per row (NaN = NULL); its buffer is transferred, not copied. */
      readonly nums: Float64Array<ArrayBuffer>;
      readonly rows: number;
      readonly rejected: readonly RejectedRow[];
      readonly bytesRead: number;
      readonly zoneless: boolean;
    }
  | { readonly type: 'encoding' }
  | { readonly type: 'end'; readonly contentHash: string }
  | { readonly type: 'error'; readonly message: string };
