// STUB (owned by the lead): the validated IPC handler table shared by the Electron shell and the e2e bridge.
import type { Channel, Envelope, ResultOf, SHELL_CHANNELS } from '../../common/contract';
import type { EngineHost } from '../engine/worker/host';

type ShellChannel = (typeof SHELL_CHANNELS)[number];

/** What only the shell can do (native dialogs, files, workspaces). Tests supply their own. */
export type ShellDeps = { readonly [C in ShellChannel]: (args: Parameters<ShellHandler<C>>[0]) => Promise<ResultOf<C>> };
type ShellHandler<C extends Channel> = (args: import('../../common/contract').ArgsOf<C>) => unknown;

/** One function per channel: validates the raw argument, routes it, and never throws. */
export type IpcTable = { readonly [C in Channel]: (raw: unknown) => Promise<Envelope<ResultOf<C>>> };

/** Returns the engine host currently serving (it changes when the user opens another workspace). */
export type HostRef = () => EngineHost;

export function createIpcTable(_host: HostRef, _shell: ShellDeps): IpcTable {
  throw new Error('createIpcTable not implemented yet');
}
