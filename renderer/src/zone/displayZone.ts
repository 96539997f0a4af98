/**
 * The display zone of this window (see common/time-zone.ts for the rule): every time shown or typed
 * is read in it. Kept in one module-level store so format.ts and filter.ts (plain functions, called
 * from AG Grid formatters) and React components (via useDisplayZone) read the same value.
 */
import { useSyncExternalStore } from 'react';
import { LOCAL_ZONE, resolveZone, ZONE_SETTING_KEY, type ZoneSetting } from '../../../common/time-zone';
import { call } from '../ipc';

let setting: ZoneSetting = LOCAL_ZONE;
let zone = resolveZone(setting);
const listeners = new Set<() => void>();

/** The IANA zone times are shown in now. */
export function displayZone(): string {
  return zone;
}

export function zoneSetting(): ZoneSetting {
  return setting;
}

function apply(next: ZoneSetting): void {
  setting = next;
  zone = resolveZone(next);
  for (const l of listeners) l();
}

/** Reads the saved setting once at start; a missing or unknown one means local. */
export function loadZoneSetting(): Promise<void> {
  return call('settings:get', { key: ZONE_SETTING_KEY }).then(
    (v) => apply(v ?? LOCAL_ZONE),
    () => apply(LOCAL_ZONE),
  );
}

export function setZoneSetting(next: ZoneSetting): void {
  apply(next);
  call('settings:set', { key: ZONE_SETTING_KEY, value: next }).catch(() => undefined);
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The display zone, re-rendering the caller when the user changes it. */
export function useDisplayZone(): string {
  return useSyncExternalStore(subscribe, displayZone);
}

export function useZoneSetting(): ZoneSetting {
  return useSyncExternalStore(subscribe, zoneSetting);
}
