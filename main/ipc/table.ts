/**
 * The IPC handler table shared by the Electron shell (ipcMain.handle) and the browser e2e bridge
 * (page.exposeBinding): one function per contract channel that validates the raw argument, routes it
 * to the engine workers or to the shell's own dependencies, and answers with an Envelope. It never
 * throws, so a bad call from the renderer cannot crash main.
 */
import {
  SHELL_CHANNELS,
  type ArgsOf,
  type Channel,
  type Envelope,
  type ResultOf,
} from '../../common/contract';
import { toErrorShape } from '../engine/errors';
import type { EngineHost } from '../engine/worker/host';
import { validators } from './validate';

export type ShellChannel = (typeof SHELL_CHANNELS)[number];

/** What only the shell can do (native dialogs, files, workspaces). Tests supply their own. */
export type ShellDeps = { readonly [C in ShellChannel]: (args: ArgsOf<C>) => Promise<ResultOf<C>> };

/** One function per channel: validates the raw argument, routes it, and never throws. */
export type IpcTable = { readonly [C in Channel]: (raw: unknown) => Promise<Envelope<ResultOf<C>>> };

/** Returns the engine host currently serving (it changes when the user opens another workspace). */
export type HostRef = () => EngineHost;

/**
 * Runs on the validated arguments, before routing: the shell's path grants (shell/guard.ts) check
 * them and hand on the resolved paths, so the check and the call see the same values. Throws to refuse.
 */
export type ArgCheck = <C extends Channel>(channel: C, args: ArgsOf<C>) => ArgsOf<C>;

const noCheck: ArgCheck = (_channel, args) => args;

export function isShellChannel(channel: Channel): channel is ShellChannel {
  return (SHELL_CHANNELS as readonly Channel[]).includes(channel);
}

async function envelope<T>(run: () => Promise<T>): Promise<Envelope<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    return { ok: false, error: toErrorShape(err) };
  }
}

function entry<C extends Channel>(
  channel: C,
  host: HostRef,
  shell: ShellDeps,
  check: ArgCheck,
): (raw: unknown) => Promise<Envelope<ResultOf<C>>> {
  const validate = validators[channel] as (raw: unknown) => ArgsOf<C>;
  return (raw) =>
    envelope(async () => {
      const args = check(channel, validate(raw));
      if (isShellChannel(channel)) {
        const fn = shell[channel] as (a: ArgsOf<C>) => Promise<ResultOf<C>>;
        return fn(args);
      }
      // Narrowed to an engine channel above; the host's generic signature cannot follow that narrowing.
      const engine = host();
      const invoke = engine.invoke.bind(engine) as (c: Channel, a: unknown) => Promise<ResultOf<C>>;
      return invoke(channel, args);
    });
}

export function createIpcTable(host: HostRef, shell: ShellDeps, check: ArgCheck = noCheck): IpcTable {
  const table: Partial<Record<Channel, (raw: unknown) => Promise<Envelope<unknown>>>> = {};
  for (const channel of Object.keys(validators) as Channel[])
    table[channel] = entry(channel, host, shell, check);
  return table as IpcTable;
}
