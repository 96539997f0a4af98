/**
 * Sandboxed preload, bundled by esbuild into one CommonJS file (scripts/build-preload.mjs): a
 * sandboxed preload may require only 'electron' and a few builtins. Exposes exactly the contract as
 * window.api and never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildApi } from './api';
import { FILES_DROPPED_CHANNEL } from './channels';

contextBridge.exposeInMainWorld(
  'api',
  buildApi({
    invoke: (channel, args) => ipcRenderer.invoke(channel, args),
    subscribe: (event, listener) => {
      ipcRenderer.on(event, (_e, payload: unknown) => listener(payload));
    },
  }),
);

/** The few DOM members used below; the Node typecheck of this file has no DOM library. */
interface DroppedEvent {
  preventDefault(): void;
  readonly dataTransfer: { readonly files: ArrayLike<File> } | null;
}
interface DropTarget {
  addEventListener(
    type: 'dragover' | 'drop',
    listener: (event: DroppedEvent) => void,
    capture: boolean,
  ): void;
}

// Dropping files on the window imports them: see preload/channels.ts for why this goes via main.
const target = globalThis as unknown as DropTarget;
// Capture phase: a drop zone in the page that stops propagation must not swallow the import.
target.addEventListener('dragover', (event) => event.preventDefault(), true);
target.addEventListener(
  'drop',
  (event) => {
    event.preventDefault();
    const files = event.dataTransfer ? Array.from(event.dataTransfer.files) : [];
    const paths = files.map((f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0);
    if (paths.length > 0) ipcRenderer.send(FILES_DROPPED_CHANNEL, paths);
  },
  true,
);
