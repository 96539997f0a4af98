/**
 * Path grants on the contract's validated IPC arguments: import:start reads only files the user
 * chose, and export:start and lookup:export write only where the user said in the save dialog (see
 * grants.ts for why). The check runs on what the validator returned, never on the raw message, and
 * replaces each path with the real path it checked, which is what the engine then opens.
 *
 * A new channel that reads or writes a file the renderer names gets one line in GRANTED_PATHS.
 */
import type { ArgsOf, Channel, Envelope } from '../../common/contract';
import { EngineError } from '../engine/errors';
import type { ArgCheck } from '../ipc/table';
import type { GrantKind, PathGrants } from './grants';

export function forbidden(message: string, details?: Record<string, unknown>): Envelope<never> {
  return { ok: false, error: { code: 'FORBIDDEN', message, ...(details ? { details } : {}) } };
}

const NOT_CHOSEN: Readonly<Record<GrantKind, string>> = {
  import: 'Import files by choosing or dropping them; this file was not chosen',
  export: 'Choose where to save the export in the save dialog first',
  reveal: 'Only files the app created or opened can be shown',
};

function granted(grants: PathGrants, kind: GrantKind, p: string): string {
  const real = grants.resolve(kind, p);
  if (real === null) throw new EngineError('FORBIDDEN', NOT_CHOSEN[kind], { path: p });
  return real;
}

type Rewrite<C extends Channel> = (args: ArgsOf<C>, grants: PathGrants) => ArgsOf<C>;

/** Channel -> how its paths are checked and replaced by the granted real paths. */
const GRANTED_PATHS: { readonly [C in Channel]?: Rewrite<C> } = {
  'import:start': (a, g) => ({ ...a, paths: a.paths.map((p) => granted(g, 'import', p)) }),
  'export:start': (a, g) => ({ ...a, path: granted(g, 'export', a.path) }),
  'lookup:export': (a, g) => ({ ...a, path: granted(g, 'export', a.path) }),
};

export function grantCheck(grants: PathGrants): ArgCheck {
  return (channel, args) => {
    const rewrite = GRANTED_PATHS[channel];
    return rewrite ? rewrite(args, grants) : args;
  };
}
