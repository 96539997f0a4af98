/**
 * Pulls the basic reply code (e.g. 550) and the enhanced status code (e.g. 5.1.1) out of an SMTP
 * response text, so facets and search can use them without parsing text at query time.
 * Handles `550 5.1.1 ...`, multi-line `550-5.1.1 ...`, and relayed forms such as
 * `[5.2.0] bounced (host x said: 550 5.2.0 ...)`.
 */

// Not preceded/followed by a digit or dot, so IP addresses and ids do not match.
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])/;
// A reply code starts the text or a line, or follows "said:"; it is followed by space, '-' or the end.
const BASIC = /(?:^|\n|said:\s*|\(\s*)([2-5]\d\d)(?=[\s-]|$)/;

export interface SmtpCodes {
  readonly basic: number | null;
  readonly enhanced: string | null;
}

export function parseSmtpCodes(text: string): SmtpCodes {
  if (text === '') return { basic: null, enhanced: null };
  const b = BASIC.exec(text);
  const e = ENHANCED.exec(text);
  return {
    basic: b ? Number(b[1]) : null,
    enhanced: e ? `${e[1]}.${e[2]}.${e[3]}` : null,
  };
}
