/**
 * The settings the renderer may store in a workspace, each with its size limit. Anything else is
 * refused in main: a page showing hostile records must not be able to grow the workspace file with
 * arbitrary keys and values. A new setting is one line here.
 */
import { LIMITS } from './contract';

export const SETTING_LIMITS = {
  /** The last 10 searches, JSON (each at most maxQueryLength characters, quotes escaped). */
  'search.recent': 10 * (2 * LIMITS.maxQueryLength + 4) + 2,
  /** AG Grid column state of 24 columns, JSON (about 3 KB in practice). */
  'grid.columnState': 20_000,
  /** The display zone: 'local', 'UTC' or an IANA name (the longest IANA names are ~32 characters). */
  'display.timeZone': 64,
  /** The zone of zone-less times the import dialog last used: 'UTC' or an IANA name. */
  'import.timeZone': 64,
} as const satisfies Readonly<Record<string, number>>;

export type SettingKey = keyof typeof SETTING_LIMITS;

export function isSettingKey(v: unknown): v is SettingKey {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(SETTING_LIMITS, v);
}
