/** Connection settings changed for one step of the engine and put back afterwards. */
import type { Database } from 'better-sqlite3';

/** Pragma name -> value. Names and values come from engine code only, never from input. */
export type PragmaSettings = Readonly<Record<string, number | string>>;

/** Applies `settings` and returns a function that restores the values they replaced. */
export function setPragmas(db: Database, settings: PragmaSettings): () => void {
  const previous = Object.keys(settings).map(
    (name) => [name, Number(db.pragma(name, { simple: true }))] as const,
  );
  for (const [name, value] of Object.entries(settings)) db.pragma(`${name} = ${value}`);
  return () => {
    for (const [name, value] of [...previous].reverse()) db.pragma(`${name} = ${value}`);
  };
}
