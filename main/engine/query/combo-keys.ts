/**
 * The facet columns that the summaries (summary.ts) and record_facts' combos (record-facts.ts) store,
 * each with the sentinel that stands for NULL there (a NULL would not match in their unique keys).
 * One list, so the two tables keep the same columns in the same order (facets-plan.ts's Combo).
 */
export interface StoredKey {
  readonly col: string;
  /** SQL literal stored for NULL; read back through nullif. */
  readonly none: string;
}

/** summary_hour's columns besides hour and n. */
export const HOUR_KEYS: readonly StoredKey[] = [
  { col: 'status', none: "''" },
  { col: 'substatus', none: "''" },
  { col: 'status_details', none: "''" },
  { col: 'smtp_code', none: '-1' },
  { col: 'processing_region', none: "''" },
  { col: 'entry_interface', none: "''" },
];

/** A facet combination, in records_facets order: summary_facets' and fact_combos' columns. */
export const COMBO_KEYS: readonly StoredKey[] = [...HOUR_KEYS, { col: 'message_to_domain', none: "''" }];
