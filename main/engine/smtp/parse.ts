/**
 * Finds the basic reply code (550) and the RFC 3463 enhanced status code (5.1.1) in an SMTP reply
 * as MTAs and relays report it: plain replies, multi-line replies (`550-5.1.1 …`), relay wrappers
 * (`[5.2.0] bounced (host x said: 550 5.2.0 …)`, Exim's `SMTP error … after RCPT TO:<x>: 550 …`).
 */

export interface ParsedReply {
  readonly basic: number | null;
  readonly enhanced: string | null;
}

/** Long inputs are cut before matching: a reply that matters fits in far less. */
const MAX_SCAN = 8000;

/** class.subject.detail, not part of an IP address or version number (lookarounds exclude "1.2.3.4"). */
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/;
/** A basic code directly followed by an enhanced one: the most reliable pairing in relay texts. */
const PAIRED = /(?<![\d.])([2-5]\d\d)[ -]+#?([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
/** A relay quoting the remote answer: "said: 550 …", "SMTP error from remote server …: 550 …". */
const QUOTED = /(?:said|error|reply|response|responded|answered)\b[^\n]{0,80}?[:\s]([2-5]\d\d)(?=[ \t-]|$)/im;
/** A basic code opening the text: "550 …", "550-…" (multi-line), "#550 …". */
const TEXT_START = /^[\s#('"]*([2-5]\d\d)(?=[ \t-]|$)/;
/** …or opening any later line. */
const LINE_START = /^[\s#('"]*([2-5]\d\d)(?=[ \t-]|$)/m;

function enhancedFrom(m: RegExpExecArray | null): string | null {
  if (!m) return null;
  // Normalise "5.01.001" style padding so table look-ups work.
  return `${m[1]}.${Number(m[2])}.${Number(m[3])}`;
}

export function parseReply(text: string): ParsedReply {
  const t = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  const paired = PAIRED.exec(t);
  if (paired) {
    return { basic: Number(paired[1]), enhanced: enhancedFrom(ENHANCED.exec(paired[2])) };
  }
  const quoted = TEXT_START.exec(t) ?? QUOTED.exec(t) ?? LINE_START.exec(t);
  return { basic: quoted ? Number(quoted[1]) : null, enhanced: enhancedFrom(ENHANCED.exec(t)) };
}
