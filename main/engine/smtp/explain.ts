// STUB (owned by the smtp/export work).
import type { SmtpExplanation } from '../../../common/contract';

export function explainSmtp(text: string): SmtpExplanation {
  return { input: text, basicCode: null, enhancedCode: null, basicMeaning: null, enhancedMeaning: null, summary: '', verdict: 'unknown', nextStep: '' };
}
