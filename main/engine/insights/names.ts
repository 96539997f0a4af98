/**
 * Is a name part in use? A slip makes a name part nobody else has ("moeler"); a real name ("moeller",
 * "meyer") turns up in other addresses of the case. Read from the substring-search vocabulary (its
 * trigram index over distinct addresses) where it is built, else from the records.
 */
import type { Database } from 'better-sqlite3';
import { escapeLike } from '../query/filter';
import { trigramQuery } from '../query/resolver';
import { SEARCH_COLUMNS, searchIndexCoverage } from '../query/search-index';

const SAMPLE = 50;

function hasToken(address: string, token: string): boolean {
  const at = address.lastIndexOf('@');
  return address
    .slice(0, at < 0 ? address.length : at)
    .split(/[._+-]/)
    .includes(token);
}

export function nameChecker(db: Database): (token: string, except: string) => boolean {
  const useVocab = searchIndexCoverage(db) > 0;
  const vocab = db
    .prepare(
      `SELECT lower(v.value) FROM search_vocab_fts f JOIN search_vocab v ON v.id = f.rowid
       WHERE search_vocab_fts MATCH ? AND v.col = ? AND v.value LIKE ? ESCAPE '\\' LIMIT ${SAMPLE}`,
    )
    .pluck();
  const scan = db
    .prepare(
      `SELECT DISTINCT lower(message_to) FROM records WHERE message_to LIKE ? ESCAPE '\\' LIMIT ${SAMPLE}`,
    )
    .pluck();
  const memo = new Map<string, readonly string[]>();
  /** True when another address of the case uses `token` as a name part (short tokens count as used). */
  return (token, except) => {
    if (token.length < 3) return true;
    let hits = memo.get(token);
    if (!hits) {
      const like = `%${escapeLike(token)}%`;
      hits = (
        useVocab ? vocab.all(trigramQuery(token), SEARCH_COLUMNS.indexOf('message_to'), like) : scan.all(like)
      ) as string[];
      memo.set(token, hits);
    }
    // A full sample of substring hits without one whole-token use: treat as used (be conservative).
    return hits.length >= SAMPLE || hits.some((a) => a !== except && hasToken(a, token));
  };
}
