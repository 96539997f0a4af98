/**
 * Explains an SMTP reply for a support engineer: what the codes mean, a verdict, and what to tell
 * the customer. Verdicts:
 * - success: accepted by the receiving server (2xx / 2.x.x).
 * - hard: permanent, retrying the same message to the same address will fail again (unknown or
 *   disabled mailbox, domain without mail, message refused for its size or format).
 * - soft: temporary; the condition may clear (every 4xx / 4.x.x, and by common practice 5.2.2
 *   "mailbox full" and 552 "storage exceeded": quotas get freed, so the address stays valid),
 *   5.4.7 (delivery time expired after retries) and 5.3.1 / 5.4.5 (receiver congestion).
 * - policy: the receiver refused the sender, not the address (5.7.x, blocklists, spam, SPF/DKIM/
 *   DMARC, reverse DNS), so it needs a sender-side fix or the recipient's allowlisting.
 * - unknown: no SMTP code in the text.
 */
import type { SmtpExplanation, Verdict } from '../../../common/contract';
import { BASIC_CODES, CLASS_NAMES, DETAIL_MEANINGS, PROVIDER_CODES, SUBJECT_NAMES } from './codes';
import { parseReply } from './parse';

type Category =
  | 'delivered'
  | 'address'
  | 'domain'
  | 'message'
  | 'hard-other'
  | 'mailbox-full'
  | 'deferred'
  | 'temporary'
  | 'expired'
  | 'auth'
  | 'blocklist'
  | 'spam'
  | 'policy-other'
  | 'no-code';

interface Advice {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly nextStep: string;
}

const ADVICE: Readonly<Record<Category, Advice>> = {
  delivered: {
    verdict: 'success',
    reason: 'Delivered: the recipient’s mail server accepted the message',
    nextStep:
      'The message was handed over successfully. If the recipient cannot find it, ask them to check spam/junk folders and mail rules; from here on delivery is up to their mail system.',
  },
  address: {
    verdict: 'hard',
    reason: 'Hard bounce: the recipient address does not exist or its mailbox is disabled',
    nextStep:
      'Ask the customer to check the address for typos or get a current one from the recipient. Further mail to this address will bounce again (and later be suppressed as previously bounced).',
  },
  domain: {
    verdict: 'hard',
    reason: 'Hard bounce: the recipient domain does not exist or does not accept mail',
    nextStep:
      'Check the domain part of the address for typos (e.g. gmial.com). If it is correct, the recipient’s domain has no working mail server and the recipient must fix their DNS/MX setup.',
  },
  message: {
    verdict: 'hard',
    reason:
      'Hard bounce: the receiving server refused this message itself (too large or an unsupported format)',
    nextStep:
      'The address is fine. Resend with smaller attachments (or a link instead) or a simpler format; retrying the same message will fail again.',
  },
  'hard-other': {
    verdict: 'hard',
    reason: 'Hard bounce: the receiving server refused the message permanently',
    nextStep:
      'Read the full reply text for the receiver’s reason. If the address is right, the recipient should ask their mail administrator why mail from the sender is refused; resending unchanged will fail again.',
  },
  'mailbox-full': {
    verdict: 'soft',
    reason: 'Soft bounce: the recipient’s mailbox is full (over quota)',
    nextStep:
      'The address is valid. The recipient has to free up space in their mailbox; then the customer can resend. Repeated "mailbox full" over weeks usually means the mailbox is abandoned.',
  },
  deferred: {
    verdict: 'soft',
    reason: 'Temporary rejection: the receiver is throttling, greylisting or deferring mail from the sender',
    nextStep:
      'Nothing to fix right away: Retarus retries temporary failures automatically. If the final status is still a bounce, resend later; if it happens a lot for one provider, pass the reply text to Retarus support (sending volume/reputation).',
  },
  temporary: {
    verdict: 'soft',
    reason: 'Temporary failure at the receiving side',
    nextStep:
      'Retarus retries temporary failures automatically. If the final status is a bounce, resend later; if it persists, the recipient’s mail administrator should check their server.',
  },
  expired: {
    verdict: 'soft',
    reason: 'Not delivered in time: the receiving server stayed unreachable or busy until retries ran out',
    nextStep:
      'The address is probably fine. Resend the message; if it fails again, the recipient’s mail server has a lasting problem their administrator must fix.',
  },
  auth: {
    verdict: 'policy',
    reason:
      'Rejected by policy: the sender failed the receiver’s authentication checks (SPF, DKIM, DMARC or reverse DNS)',
    nextStep:
      'The customer must fix the sender domain’s DNS: include Retarus in the SPF record, publish the DKIM key Retarus signs with, and make sure DMARC alignment passes for the From domain. Resend after the records are live.',
  },
  blocklist: {
    verdict: 'policy',
    reason:
      'Rejected by policy: the sending IP or domain is on a blocklist or has a poor reputation with the receiver',
    nextStep:
      'Not a problem with the address. Send the full reply text to Retarus support so the listing can be checked and delisted; the recipient’s administrator can also allowlist the sender.',
  },
  spam: {
    verdict: 'policy',
    reason: 'Rejected by policy: the receiver classified the message as spam or unwanted',
    nextStep:
      'Review the content (links, URL shorteners, attachments, wording) and make sure recipients opted in. The recipient can allowlist the sender address; persistent cases go to Retarus support with the reply text.',
  },
  'policy-other': {
    verdict: 'policy',
    reason:
      'Rejected by policy: the receiving server does not accept mail from this sender for this recipient',
    nextStep:
      'The recipient’s mail administrator must allow the sender (allowlist, or accept external mail for this mailbox). If many recipients of one domain are affected, pass the reply text to Retarus support.',
  },
  'no-code': {
    verdict: 'unknown',
    reason: 'No SMTP reply code could be found in this text',
    nextStep:
      'Look at the Status and Status Details columns instead; if the text came from a receiving server, pass it to Retarus support for interpretation.',
  },
};

const AUTH =
  /\b(?:DMARC|SPF|DKIM)\b|unauthenticated|not authenticated|authentication (?:check|fail)|\bPTR\b|reverse DNS|\brDNS\b/i;
const BLOCKLIST =
  /spamhaus|spamcop|barracuda|sorbs|uceprotect|block ?list|black ?list|\bRBL\b|\bDNSBL\b|blocked using|listed (?:at|on|in|by)|banned sending IP|traffic not accepted from this IP|reputation|\(BL\)/i;
const SPAM = /\bspam\b|unsolicited|\bjunk\b|content (?:rejected|filter)|phishing|virus|malware|mail flood/i;
const UNKNOWN_ADDRESS =
  /user unknown|unknown user|no such (?:user|mailbox|recipient|address)|does(?: not|n't|nt) exist|not exist|recipient not found|recip(?:ient)?notfound|mailbox not found|mailbox unavailable|invalid (?:recipient|mailbox)|unknown recipient|doesn't have an? .{1,40} account|(?:account|mailbox) (?:is )?(?:disabled|deactivated|inactive)|unrouteable address|no mailbox/i;
const FULL =
  /over quota|quota exceeded|exceeds? (?:the )?quota|mailbox (?:is )?full|exceeded storage|storage allocation|insufficient (?:system )?storage/i;
const SIZE = /message (?:size|too (?:big|large))|size (?:limit|exceeds)|too (?:big|large)/i;
const DEFERRED =
  /greylist|graylist|try again later|temporar(?:y|ily) (?:deferred|rejected|blocked)|rate[- ]?limit|too many (?:connections|messages|recipients)|throttl|deferred/i;

/** Registry entries with a fixed category in class 5, whatever the text says. */
const PERMANENT_BY_CODE: Readonly<Record<string, Category>> = {
  '1.0': 'address',
  '1.1': 'address',
  '1.3': 'address',
  '1.4': 'address',
  '1.6': 'address',
  '2.1': 'address',
  '7.13': 'address',
  '7.17': 'address',
  '1.2': 'domain',
  '1.10': 'domain',
  '4.4': 'domain',
  '7.18': 'domain',
  '2.2': 'mailbox-full',
  '3.1': 'temporary',
  '4.5': 'temporary',
  '4.7': 'expired',
  '2.3': 'message',
  '3.4': 'message',
  '7.16': 'message',
  '7.20': 'auth',
  '7.21': 'auth',
  '7.22': 'auth',
  '7.23': 'auth',
  '7.24': 'auth',
  '7.25': 'auth',
  '7.26': 'auth',
  '7.27': 'auth',
  '7.29': 'auth',
  '7.28': 'spam',
};

const PROVIDER_CATEGORY: Readonly<Record<string, Category>> = {
  '5.1.10': 'address',
  '5.4.1': 'address',
  '5.7.509': 'auth',
  '5.7.606': 'blocklist',
  '5.7.708': 'blocklist',
};

function providerMatch(enhanced: string | null, text: string): string | null {
  if (!enhanced) return null;
  const p = PROVIDER_CODES[enhanced];
  return p && (!p.when || p.when.test(text)) ? enhanced : null;
}

function categorise(basic: number | null, enhanced: string | null, text: string): Category {
  if (basic === null && enhanced === null) return 'no-code';
  const cls = enhanced ? Number(enhanced[0]) : Math.floor((basic as number) / 100);
  if (cls === 2 || cls === 3) return 'delivered';
  if (cls === 4)
    return FULL.test(text) || enhanced === '4.2.2'
      ? 'mailbox-full'
      : DEFERRED.test(text) || enhanced?.startsWith('4.7.')
        ? 'deferred'
        : 'temporary';
  const provider = providerMatch(enhanced, text);
  if (provider) return PROVIDER_CATEGORY[provider] ?? 'hard-other';
  const sd = enhanced ? enhanced.slice(2) : null;
  const fixed = sd ? PERMANENT_BY_CODE[sd] : undefined;
  if (fixed) return fixed;
  if (AUTH.test(text)) return 'auth';
  if (BLOCKLIST.test(text)) return 'blocklist';
  if (SPAM.test(text)) return 'spam';
  if (UNKNOWN_ADDRESS.test(text)) return 'address';
  if (sd?.startsWith('6.') || SIZE.test(text)) return 'message';
  if (FULL.test(text) || (basic === 552 && !enhanced)) return 'mailbox-full';
  if (sd?.startsWith('7.')) return 'policy-other';
  if (basic === 521 || basic === 556) return 'domain';
  return 'hard-other';
}

function enhancedMeaning(enhanced: string, text: string): string {
  const provider = providerMatch(enhanced, text);
  if (provider) return (PROVIDER_CODES[provider] as { meaning: string }).meaning;
  const [c, s, d] = enhanced.split('.').map(Number) as [number, number, number];
  const detail = DETAIL_MEANINGS[`${s}.${d}`];
  const klass = CLASS_NAMES[c] ?? 'Unknown class';
  if (detail) return `${klass}: ${detail}`;
  const subject = SUBJECT_NAMES[s];
  return subject
    ? `${klass}: ${subject} (code ${enhanced} is not in the IANA registry; provider-specific)`
    : `${klass}: unknown subject ${s}`;
}

function basicMeaning(basic: number): string {
  return (
    BASIC_CODES[basic] ??
    `${CLASS_NAMES[Math.floor(basic / 100)] ?? 'Unknown'} (code ${basic} is not a standard reply code)`
  );
}

export function explainSmtp(text: string): SmtpExplanation {
  const input = typeof text === 'string' ? text : '';
  const { basic, enhanced } = parseReply(input);
  const category = categorise(basic, enhanced, input);
  const advice = ADVICE[category];
  const bm = basic === null ? null : basicMeaning(basic);
  const em = enhanced === null ? null : enhancedMeaning(enhanced, input);
  const codes = [basic, enhanced].filter((x) => x !== null).join(' ');
  // Detail 0 ("other or undefined …") says little; the basic code's meaning is more useful then.
  const meaning = em !== null && !enhanced?.endsWith('.0') ? em : (bm ?? em);
  // The reason already says permanent or temporary; drop the class prefix ("Permanent failure: ").
  const short = meaning?.replace(/^(?:Success|Temporary failure|Permanent failure): /, '');
  const summary = short ? `${advice.reason}. ${codes}: ${short}.` : `${advice.reason}.`;
  return {
    input,
    basicCode: basic,
    enhancedCode: enhanced,
    basicMeaning: bm,
    enhancedMeaning: em,
    summary,
    verdict: advice.verdict,
    nextStep: advice.nextStep,
  };
}
