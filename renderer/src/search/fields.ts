/**
 * Field names of the search syntax (issue 3), for suggestions as the user types. The engine's parser is
 * the authority: a SEARCH_SYNTAX error carries its own list of valid fields, which replaces this one.
 */
export interface FieldHint {
  readonly name: string;
  readonly hint: string;
  /** What to insert: "to:" or "size>" */
  readonly insert: string;
}

export const SEARCH_FIELDS: readonly FieldHint[] = [
  { name: 'to', hint: 'recipient address', insert: 'to:' },
  { name: 'from', hint: 'sender address', insert: 'from:' },
  { name: 'domain', hint: 'recipient domain', insert: 'domain:' },
  { name: 'todomain', hint: 'recipient domain', insert: 'todomain:' },
  { name: 'status', hint: 'OK, ERROR', insert: 'status:' },
  { name: 'substatus', hint: 'DELIVERED, BOUNCED, DROPPED', insert: 'substatus:' },
  { name: 'details', hint: 'HARD_BOUNCE, SUPPRESSED, …', insert: 'details:' },
  { name: 'smtp', hint: 'basic or enhanced code: 550, 5.1.1', insert: 'smtp:' },
  { name: 'corr', hint: 'Correlation ID', insert: 'corr:' },
  { name: 'job', hint: 'Job ID', insert: 'job:' },
  { name: 'usage', hint: 'Usage ID', insert: 'usage:' },
  { name: 'campaign', hint: 'Campaign ID', insert: 'campaign:' },
  { name: 'costcenter', hint: 'Cost Center', insert: 'costcenter:' },
  { name: 'region', hint: 'DE1, US1, …', insert: 'region:' },
  { name: 'interface', hint: 'rest, smtp', insert: 'interface:' },
  { name: 'tenant', hint: 'Tenant', insert: 'tenant:' },
  { name: 'after', hint: 'date or date-time: 2026-10-01', insert: 'after:' },
  { name: 'before', hint: 'date or date-time', insert: 'before:' },
  { name: 'size', hint: 'bytes: size>100000', insert: 'size>' },
];

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
    ? valid.map((v) => SEARCH_FIELDS.find((f) => f.name === v) ?? { name: v, hint: '', insert: `${v}:` })
    : SEARCH_FIELDS;
  const w = word.toLowerCase();
  const items = pool.filter((f) => f.name.startsWith(w) && f.name !== w).slice(0, 8);
  return { start, end, items };
}
