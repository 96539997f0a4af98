/** Which statements a piece of engine code ran: for tests of the path a request takes. */
import type { Database, Statement } from 'better-sqlite3';

/** Runs `fn` and tells whether any statement whose SQL contains `fragment` was executed meanwhile. */
export function ranStatement(db: Database, fragment: string, fn: () => void): boolean {
  let ran = false;
  const prepare = db.prepare.bind(db);
  const spy = (sql: string): Statement => {
    const stmt = prepare(sql);
    if (!sql.includes(fragment)) return stmt;
    const proxy: Statement = new Proxy(stmt, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          if (key === 'all' || key === 'get' || key === 'iterate') ran = true;
          const out: unknown = Reflect.apply(value, target, args);
          return out === target ? proxy : out;
        };
      },
    });
    return proxy;
  };
  db.prepare = spy as Database['prepare'];
  try {
    fn();
  } finally {
    db.prepare = prepare;
  }
  return ran;
}

/** The SQL of every statement prepared while `fn` runs. */
export function preparedSql(db: Database, fn: () => void): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string): Statement => {
    seen.push(sql);
    return prepare(sql);
  }) as Database['prepare'];
  try {
    fn();
  } finally {
    db.prepare = prepare;
  }
  return seen;
}
