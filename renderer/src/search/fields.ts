/**
 * Field-name suggestions for the word under the caret, from the search syntax's own field table
 * (common/search-syntax.ts), so the box never suggests a field the engine would reject.
 */
import { SEARCH_FIELDS, type SearchField } from '../../../common/search-syntax';

export interface FieldHint {
  readonly name: string;
  readonly hint: string;
  /** What to insert: "to:" or "size>" */
  readonly insert: string;
}

function hintOf(f: SearchField): FieldHint {
  return {
    name: f.name,
    hint: `${f.description} · e.g. ${f.example}`,
    insert: f.kind === 'size' ? `${f.name}>` : `${f.name}:`,
  };
}

export const FIELD_HINTS: readonly FieldHint[] = SEARCH_FIELDS.map(hintOf);

/** The token under the caret: start offset and text (a leading '-' negation is kept out of the text). */
export function tokenAt(text: string, caret: number): { start: number; end: number; word: string } {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1] ?? '')) start--;
  let end = caret;
  while (end < text.length && !/\s/.test(text[end] ?? '')) end++;
  if (text[start] === '-') start++;
  return { start, end, word: text.slice(start, caret) };
}

export function suggestFields(
  text: string,
  caret: number,
  valid: readonly string[] | null,
): { start: number; end: number; items: FieldHint[] } {
  const { start, end, word } = tokenAt(text, caret);
  if (!/^[a-z]+$/i.test(word)) return { start, end, items: [] };
  const pool = valid
    ? valid.map((v) => FIELD_HINTS.find((f) => f.name === v) ?? { name: v, hint: '', insert: `${v}:` })
    : FIELD_HINTS;
  const w = word.toLowerCase();
  const items = pool.filter((f) => f.name.startsWith(w) && f.name !== w).slice(0, 8);
  return { start, end, items };
}
