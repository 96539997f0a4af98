/** Shared shape and assertions for the SMTP explanation tests over real-world reply texts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Verdict } from '../../common/contract';
import { explainSmtp } from '../../main/engine/smtp/explain';

export interface ReplyCase {
  readonly from: string;
  readonly text: string;
  readonly basic: number | null;
  readonly enhanced: string | null;
  readonly verdict: Verdict;
  /** Words the plain-language summary or the code meanings must contain (case-insensitive). */
  readonly words: readonly string[];
}

export function runCases(prefix: string, cases: readonly ReplyCase[]): void {
  for (const c of cases) {
    test(`${prefix}: ${c.from}`, () => {
      const e = explainSmtp(c.text);
      assert.equal(e.input, c.text);
      assert.equal(e.basicCode, c.basic, 'basic code');
      assert.equal(e.enhancedCode, c.enhanced, 'enhanced code');
      assert.equal(e.verdict, c.verdict, 'verdict');
      const meaning = `${e.summary} ${e.basicMeaning ?? ''} ${e.enhancedMeaning ?? ''}`.toLowerCase();
      for (const w of c.words) assert.ok(meaning.includes(w.toLowerCase()), `"${w}" missing in: ${meaning}`);
      assert.ok(e.nextStep.length > 40, 'a next step to tell the customer');
    });
  }
}
