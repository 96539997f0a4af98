/**
 * Builds window.api from the contract: one function per request channel and `on` for pushed events.
 * The IPC primitives are injected so this is tested under Node; index.ts passes electron's.
 */
import { CHANNELS, EVENTS, type Api, type EventName, type Events } from '../common/contract';

export interface IpcPort {
  readonly invoke: (channel: string, args: unknown) => Promise<unknown>;
  /** Subscribes once per event name for the page's whole life. */
  readonly subscribe: (event: string, listener: (payload: unknown) => void) => void;
}

/** Events the page might miss if they arrive before React subscribed; held until the first listener. */
const BUFFERED: readonly EventName[] = ['files:opened'];

export function buildApi(port: IpcPort): Api {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const held = new Map<EventName, unknown[]>();
  for (const event of EVENTS) {
    listeners.set(event, new Set());
    port.subscribe(event, (payload) => {
      const set = listeners.get(event);
      if (set && set.size > 0) {
        for (const l of set) {
          try {
            (l as (p: unknown) => void)(payload);
          } catch (err) {
            // One faulty listener must not starve the others of the event.
            console.error(`listener for ${event} failed`, err);
          }
        }
      } else if (BUFFERED.includes(event)) held.set(event, [...(held.get(event) ?? []), payload]);
    });
  }

  const api: Record<string, unknown> = {};
  for (const channel of CHANNELS) api[channel] = (args: unknown) => port.invoke(channel, args ?? {});
  api.on = <E extends EventName>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
    const set = listeners.get(event);
    if (!set) throw new TypeError(`Unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    set.add(listener);
    const waiting = held.get(event);
    if (waiting) {
      held.delete(event);
      for (const payload of waiting) listener(payload as Events[E]);
    }
    return () => {
      set.delete(listener);
    };
  };
  return Object.freeze(api) as unknown as Api;
}
