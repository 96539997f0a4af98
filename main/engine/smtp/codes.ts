/**
 * SMTP reply code tables. Basic codes: the Retarus documentation's table (with RFC 5321 wording
 * where it leaves a meaning blank). Enhanced codes: the IANA "SMTP Enhanced Status Codes" registry
 * (RFC 3463 and later registrations, up to X.7.30), plus a few provider-specific codes support
 * staff meet every day.
 */

export const BASIC_CODES: Readonly<Record<number, string>> = {
  200: 'Nonstandard success response',
  211: 'System status or help reply',
  214: 'Help message',
  220: 'Service ready',
  221: 'Service closing transmission channel',
  250: 'Requested mail action completed successfully',
  251: 'User not local; the message will be forwarded',
  252: 'Cannot verify the user, but the message will be accepted and delivery attempted',
  354: 'Start mail input',
  421: 'Service not available, closing transmission channel',
  450: 'Requested mail action not taken: mailbox unavailable (temporarily)',
  451: 'Requested action aborted: local error in processing',
  452: 'Requested action not taken: insufficient system storage',
  455: 'Server unable to accommodate parameters',
  500: 'Syntax error: command not recognized',
  501: 'Syntax error in parameters or arguments',
  502: 'Command not implemented',
  503: 'Bad sequence of commands',
  504: 'Command parameter not implemented',
  521: 'The server does not accept mail',
  530: 'Access denied (authentication required)',
  550: 'Requested action not taken: mailbox unavailable',
  551: 'User not local',
  552: 'Requested mail action aborted: storage allocation exceeded',
  553: 'Requested action not taken: mailbox name not allowed',
  554: 'Transaction failed',
  555: 'MAIL FROM/RCPT TO parameters not recognized or not implemented',
  556: 'The domain does not accept mail',
};

export const CLASS_NAMES: Readonly<Record<number, string>> = {
  2: 'Success',
  4: 'Temporary failure',
  5: 'Permanent failure',
};

export const SUBJECT_NAMES: Readonly<Record<number, string>> = {
  0: 'Other or undefined status',
  1: 'Addressing status',
  2: 'Mailbox status',
  3: 'Mail system status',
  4: 'Network and routing status',
  5: 'Mail delivery protocol status',
  6: 'Message content or media status',
  7: 'Security or policy status',
};

/** `subject.detail` → meaning, valid for every class (X.subject.detail). */
export const DETAIL_MEANINGS: Readonly<Record<string, string>> = {
  '0.0': 'Other undefined status',
  '1.0': 'Other address status',
  '1.1': 'Bad destination mailbox address (the mailbox does not exist)',
  '1.2': 'Bad destination system address (the domain does not exist or accept mail)',
  '1.3': 'Bad destination mailbox address syntax',
  '1.4': 'Destination mailbox address ambiguous',
  '1.5': 'Destination address valid',
  '1.6': 'Destination mailbox has moved, no forwarding address',
  '1.7': "Bad sender's mailbox address syntax",
  '1.8': "Bad sender's system address",
  '1.9': 'Message relayed to non-compliant mailer',
  '1.10': 'Recipient address has null MX (the domain accepts no mail)',
  '2.0': 'Other or undefined mailbox status',
  '2.1': 'Mailbox disabled, not accepting messages',
  '2.2': 'Mailbox full',
  '2.3': 'Message length exceeds administrative limit',
  '2.4': 'Mailing list expansion problem',
  '3.0': 'Other or undefined mail system status',
  '3.1': 'Mail system full',
  '3.2': 'System not accepting network messages',
  '3.3': 'System not capable of selected features',
  '3.4': 'Message too big for system',
  '3.5': 'System incorrectly configured',
  '3.6': 'Requested priority was changed',
  '4.0': 'Other or undefined network or routing status',
  '4.1': 'No answer from host',
  '4.2': 'Bad connection',
  '4.3': 'Directory server failure',
  '4.4': 'Unable to route',
  '4.5': 'Mail system congestion',
  '4.6': 'Routing loop detected',
  '4.7': 'Delivery time expired',
  '5.0': 'Other or undefined protocol status',
  '5.1': 'Invalid command',
  '5.2': 'Syntax error',
  '5.3': 'Too many recipients',
  '5.4': 'Invalid command arguments',
  '5.5': 'Wrong protocol version',
  '5.6': 'Authentication exchange line is too long',
  '6.0': 'Other or undefined media error',
  '6.1': 'Media not supported',
  '6.2': 'Conversion required and prohibited',
  '6.3': 'Conversion required but not supported',
  '6.4': 'Conversion with loss performed',
  '6.5': 'Conversion failed',
  '6.6': 'Message content not available',
  '6.7': 'Non-ASCII addresses not permitted for that sender or recipient',
  '6.8': 'UTF-8 string reply is required, but not permitted by the SMTP client',
  '6.9': 'UTF-8 header message cannot be transferred to one or more recipients',
  '6.10': 'UTF-8 reply required but not permitted (deprecated duplicate of X.6.8)',
  '7.0': 'Other or undefined security status',
  '7.1': 'Delivery not authorized, message refused',
  '7.2': 'Mailing list expansion prohibited',
  '7.3': 'Security conversion required but not possible',
  '7.4': 'Security features not supported',
  '7.5': 'Cryptographic failure',
  '7.6': 'Cryptographic algorithm not supported',
  '7.7': 'Message integrity failure',
  '7.8': 'Authentication credentials invalid',
  '7.9': 'Authentication mechanism is too weak',
  '7.10': 'Encryption needed',
  '7.11': 'Encryption required for requested authentication mechanism',
  '7.12': 'A password transition is needed',
  '7.13': 'User account disabled',
  '7.14': 'Trust relationship required',
  '7.15': 'Priority level is too low',
  '7.16': 'Message is too big for the specified priority',
  '7.17': 'Mailbox owner has changed',
  '7.18': 'Domain owner has changed',
  '7.19': 'RRVS test cannot be completed',
  '7.20': 'No passing DKIM signature found',
  '7.21': 'No acceptable DKIM signature found',
  '7.22': 'No valid author-matched DKIM signature found',
  '7.23': 'SPF validation failed',
  '7.24': 'SPF validation error',
  '7.25': 'Reverse DNS validation failed',
  '7.26': 'Multiple authentication checks failed (e.g. DMARC)',
  '7.27': 'Sender address has null MX',
  '7.28': 'Mail flood detected',
  '7.29': 'ARC validation failure',
  '7.30': 'REQUIRETLS support required',
};

export interface ProviderCode {
  readonly meaning: string;
  /** Only when the reply text also matches, because the registry gives the code another meaning. */
  readonly when?: RegExp;
}

/**
 * Provider-specific codes outside the registry (Microsoft 365 / Outlook.com), by full code.
 * Only ones whose meaning the provider documents.
 */
export const PROVIDER_CODES: Readonly<Record<string, ProviderCode>> = {
  '5.1.10': {
    meaning: 'Recipient not found by address lookup (Microsoft; the registry meaning of X.1.10 is "null MX")',
    when: /RecipientNotFound|recipient not found/i,
  },
  '5.4.1': {
    meaning:
      'Recipient address rejected: access denied (Exchange Online: the recipient does not exist in its directory)',
    when: /access denied/i,
  },
  '5.7.509': { meaning: 'Access denied: the sending domain does not pass DMARC verification (Microsoft)' },
  '5.7.606': { meaning: 'Access denied: banned sending IP (Microsoft)' },
  '5.7.708': { meaning: 'Access denied: traffic not accepted from this IP (Microsoft)' },
};
