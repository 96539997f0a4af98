/**
 * Registers one ipcMain handler per contract channel over the (guarded) IPC table. Every call is
 * checked against the sender first: only the app window's top frame on app://bundle is answered.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, type Channel } from '../../common/contract';
import { FILES_DROPPED_CHANNEL } from '../../preload/channels';
import type { IpcTable } from '../ipc/table';
import { forbidden } from './guard';
import { isTrustedSender } from './origin';

export type SenderCheck = (event: IpcMainEvent | IpcMainInvokeEvent) => boolean;

export function senderCheck(appContents: () => WebContents | null): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    return isTrustedSender({
      frameUrl: frame?.url,
      isMainFrame: frame !== null && frame.parent === null,
      fromAppWindow: event.sender === appContents(),
    });
  };
}

export interface IpcHooks {
  /** Runs after a channel answered (used for progress-bar reset and job notifications). */
  readonly after?: (channel: Channel, result: unknown, durationMs: number) => void;
  /** Paths dropped on the window, resolved by preload. */
  readonly onDropped: (paths: readonly string[]) => void;
}

export function registerIpc(table: IpcTable, trusted: SenderCheck, hooks: IpcHooks): void {
  for (const channel of CHANNELS) {
    const run = table[channel] as (raw: unknown) => Promise<unknown>;
    ipcMain.handle(channel, async (event, raw: unknown) => {
      if (!trusted(event)) return forbidden('This page may not use the app API');
      const started = Date.now();
      const result = await run(raw);
      hooks.after?.(channel, result, Date.now() - started);
      return result;
    });
  }
  ipcMain.on(FILES_DROPPED_CHANNEL, (event, raw: unknown) => {
    if (!trusted(event) || !Array.isArray(raw)) return;
    hooks.onDropped(raw.filter((p): p is string => typeof p === 'string'));
  });
}

export function unregisterIpc(): void {
  for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  ipcMain.removeAllListeners(FILES_DROPPED_CHANNEL);
}
