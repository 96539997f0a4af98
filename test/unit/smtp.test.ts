import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Verdict } from '../../common/contract';
import { explainSmtp } from '../../main/engine/smtp/explain';

interface Case {
  readonly from: string;
  readonly text: string;
  readonly basic: number | null;
  readonly enhanced: string | null;
  readonly verdict: Verdict;
  /** Words the plain-language summary must contain (case-insensitive). */
  readonly words: readonly string[];
}

/** Real-world replies as receiving servers and relays word them (addresses and IPs replaced). */
const CASES: readonly Case[] = [
  {
    from: 'Gmail unknown user (multi-line)',
    text: "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser x12si345678abc.12 - gsmtp",
    basic: 550,
    enhanced: '5.1.1',
    verdict: 'hard',
    words: ['does not exist', 'bad destination mailbox'],
  },
  {
    from: 'Gmail disabled account',
    text: '550 5.2.1 The email account that you tried to reach is disabled. https://support.google.com/mail/?p=DisabledUser - gsmtp',
    basic: 550,
    enhanced: '5.2.1',
    verdict: 'hard',
    words: ['disabled'],
  },
  {
    from: 'Gmail over quota',
    text: '452-4.2.2 The email account that you tried to reach is over quota. Please direct\n452 4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp',
    basic: 452,
    enhanced: '4.2.2',
    verdict: 'soft',
    words: ['mailbox is full'],
  },
  {
    from: 'Gmail DMARC',
    text: "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\n550-5.7.26 DMARC policy. Please contact the administrator of example.com domain.\n550 5.7.26 https://support.google.com/mail/answer/2451690 - gsmtp",
    basic: 550,
    enhanced: '5.7.26',
    verdict: 'policy',
    words: ['authentication', 'DMARC'],
  },
  {
    from: 'Gmail SPF',
    text: '550 5.7.23 The message was rejected because of Sender Policy Framework violation. - gsmtp',
    basic: 550,
    enhanced: '5.7.23',
    verdict: 'policy',
    words: ['SPF validation failed'],
  },
  {
    from: 'Gmail PTR',
    text: '550-5.7.25 The IP address sending this message does not have a PTR record setup. - gsmtp',
    basic: 550,
    enhanced: '5.7.25',
    verdict: 'policy',
    words: ['reverse DNS'],
  },
  {
    from: 'Gmail spam',
    text: '550-5.7.1 [192.0.2.1] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp',
    basic: 550,
    enhanced: '5.7.1',
    verdict: 'policy',
    words: ['spam'],
  },
  {
    from: 'Gmail rate limit',
    text: '421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp',
    basic: 421,
    enhanced: '4.7.28',
    verdict: 'soft',
    words: ['temporary', 'throttling'],
  },
  {
    from: 'Outlook banned IP',
    text: '550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ and follow the directions.',
    basic: 550,
    enhanced: '5.7.606',
    verdict: 'policy',
    words: ['banned sending IP', 'blocklist'],
  },
  {
    from: 'Outlook IP not accepted',
    text: '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653',
    basic: 550,
    enhanced: '5.7.708',
    verdict: 'policy',
    words: ['traffic not accepted'],
  },
  {
    from: 'Exchange recipient not found',
    text: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    basic: 550,
    enhanced: '5.1.10',
    verdict: 'hard',
    words: ['does not exist', 'recipient not found'],
  },
  {
    from: 'Exchange Online DBEB',
    text: '550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [AM0PR01MB1234.eurprd01.prod.exchangelabs.com]',
    basic: 550,
    enhanced: '5.4.1',
    verdict: 'hard',
    words: ['does not exist'],
  },
  {
    from: 'Exchange not authorized',
    text: '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized',
    basic: 550,
    enhanced: '5.7.1',
    verdict: 'policy',
    words: ['not authorized'],
  },
  {
    from: 'Outlook DMARC reject',
    text: '550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject.',
    basic: 550,
    enhanced: '5.7.509',
    verdict: 'policy',
    words: ['DMARC'],
  },
  {
    from: 'Microsoft server busy',
    text: '451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719) [DB5EUR01FT012.eop-EUR01.prod.protection.outlook.com]',
    basic: 451,
    enhanced: '4.7.500',
    verdict: 'soft',
    words: ['temporary'],
  },
  {
    from: 'Yahoo no account',
    text: "554 delivery error: dd This user doesn't have a yahoo.com account (jane@yahoo.com) [0] - mta1234.mail.ir2.yahoo.com",
    basic: 554,
    enhanced: null,
    verdict: 'hard',
    words: ['does not exist'],
  },
  {
    from: 'Yahoo deferred',
    text: '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    basic: 421,
    enhanced: '4.7.0',
    verdict: 'soft',
    words: ['deferring'],
  },
  {
    from: 'Yahoo policy',
    text: '554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes',
    basic: 554,
    enhanced: '5.7.9',
    verdict: 'policy',
    words: ['policy'],
  },
  {
    from: 'Yahoo mailbox not found',
    text: '552 1 Requested mail action aborted, mailbox not found',
    basic: 552,
    enhanced: null,
    verdict: 'hard',
    words: ['does not exist'],
  },
  {
    from: 'GMX/web.de unknown',
    text: '550 Requested action not taken: mailbox unavailable',
    basic: 550,
    enhanced: null,
    verdict: 'hard',
    words: ['does not exist', 'mailbox unavailable'],
  },
  {
    from: 'GMX bad PTR',
    text: '554-gmx.net (mxgmx117) Nemesis ESMTP Service not available\n554-No SMTP service\n554-Bad DNS PTR resource record.\n554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601',
    basic: 554,
    enhanced: null,
    verdict: 'policy',
    words: ['reverse DNS'],
  },
  {
    from: 'web.de over quota',
    text: '552 Requested mail action aborted: exceeded storage allocation',
    basic: 552,
    enhanced: null,
    verdict: 'soft',
    words: ['mailbox is full', 'storage allocation exceeded'],
  },
  {
    from: 't-online blocklist',
    text: '554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)',
    basic: 554,
    enhanced: null,
    verdict: 'policy',
    words: ['blocklist'],
  },
  {
    from: 'Postfix unknown user',
    text: '550 5.1.1 <jane@kunde.de>: Recipient address rejected: User unknown in virtual mailbox table',
    basic: 550,
    enhanced: '5.1.1',
    verdict: 'hard',
    words: ['does not exist'],
  },
  {
    from: 'Postfix relay DSN',
    text: 'host mx.kunde.de[192.0.2.1] said: 550 5.1.1 <jane@kunde.de>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)',
    basic: 550,
    enhanced: '5.1.1',
    verdict: 'hard',
    words: ['does not exist'],
  },
  {
    from: 'Relay wrapper',
    text: '[5.2.0] bounced (host mx.kunde.de said: 550 5.2.0 mailbox unavailable)',
    basic: 550,
    enhanced: '5.2.0',
    verdict: 'hard',
    words: ['does not exist'],
  },
  {
    from: 'Exim unrouteable',
    text: 'SMTP error from remote mail server after RCPT TO:<jane@kunde.de>: 550 Unrouteable address',
    basic: 550,
    enhanced: null,
    verdict: 'hard',
    words: ['does not exist'],
  },
  {
    from: 'Exim user unknown',
    text: 'SMTP error from remote mail server after RCPT TO:<max@firma.ch>: 550 5.1.1 <max@firma.ch>: User unknown',
    basic: 550,
    enhanced: '5.1.1',
    verdict: 'hard',
    words: ['does not exist'],
  },
  {
    from: 'Spamhaus blocklist',
    text: '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1',
    basic: 554,
    enhanced: '5.7.1',
    verdict: 'policy',
    words: ['blocklist'],
  },
  {
    from: 'Greylisting',
    text: '450 4.7.1 <jane@kunde.de>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/kunde.de.html',
    basic: 450,
    enhanced: '4.7.1',
    verdict: 'soft',
    words: ['greylisting'],
  },
  {
    from: 'Mailbox full 552 5.2.2',
    text: '552 5.2.2 <jane@kunde.de>: Mailbox full',
    basic: 552,
    enhanced: '5.2.2',
    verdict: 'soft',
    words: ['mailbox is full'],
  },
  {
    from: 'Generic try again',
    text: '421 4.7.0 Try again later, closing connection.',
    basic: 421,
    enhanced: '4.7.0',
    verdict: 'soft',
    words: ['temporary'],
  },
  {
    from: 'Temporary lookup failure',
    text: '451 4.3.0 Temporary lookup failure',
    basic: 451,
    enhanced: '4.3.0',
    verdict: 'soft',
    words: ['temporary'],
  },
  {
    from: 'Invalid address syntax',
    text: '553 5.1.3 The recipient address <jane@@kunde.de> is not a valid RFC-5321 address',
    basic: 553,
    enhanced: '5.1.3',
    verdict: 'hard',
    words: ['syntax'],
  },
  {
    from: 'Domain does not exist',
    text: '550 5.1.2 Host unknown (Name server: kunde.dee: host not found)',
    basic: 550,
    enhanced: '5.1.2',
    verdict: 'hard',
    words: ['domain'],
  },
  {
    from: 'Message too big',
    text: '552 5.3.4 Message size exceeds fixed maximum message size',
    basic: 552,
    enhanced: '5.3.4',
    verdict: 'hard',
    words: ['too large', 'too big'],
  },
  {
    from: 'Null MX (RFC 7505)',
    text: '556 5.1.10 Recipient address has null MX',
    basic: 556,
    enhanced: '5.1.10',
    verdict: 'hard',
    words: ['domain'],
  },
  {
    from: 'Delivery expired',
    text: '554 5.4.7 Delivery expired (message too old) [Timeout]',
    basic: 554,
    enhanced: '5.4.7',
    verdict: 'soft',
    words: ['retries ran out', 'delivery time expired'],
  },
  {
    from: 'Google accepted',
    text: '250 2.0.0 OK 1700000000 x12si345678abc.12 - gsmtp',
    basic: 250,
    enhanced: '2.0.0',
    verdict: 'success',
    words: ['delivered', 'completed successfully'],
  },
  {
    from: 'GMX accepted',
    text: '250 Requested mail action okay, completed: id=1MZTb1-1r5',
    basic: 250,
    enhanced: null,
    verdict: 'success',
    words: ['accepted'],
  },
  {
    from: 'Exchange queued',
    text: '250 2.6.0 <msg@example.com> [InternalId=123] Queued mail for delivery',
    basic: 250,
    enhanced: '2.6.0',
    verdict: 'success',
    words: ['delivered'],
  },
];

for (const c of CASES) {
  test(`explain: ${c.from}`, () => {
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

test('explain: at least 30 real-world replies are covered', () => {
  assert.ok(CASES.length >= 30);
});

test('explain: texts without a code are "unknown", IP addresses are not read as codes', () => {
  for (const text of [
    '',
    'connection timed out',
    'Client host [192.0.2.1] refused',
    'see RFC 1.2.3.4 section',
  ]) {
    const e = explainSmtp(text);
    assert.equal(e.basicCode, null, text);
    assert.equal(e.enhancedCode, null, text);
    assert.equal(e.verdict, 'unknown', text);
  }
});

test('explain: bare codes and padded enhanced codes', () => {
  assert.equal(explainSmtp('550').verdict, 'hard');
  assert.equal(explainSmtp('5.7.1').verdict, 'policy');
  assert.equal(explainSmtp('550 5.01.001 bad').enhancedCode, '5.1.1');
  const odd = explainSmtp('550 5.7.999 weird');
  assert.equal(odd.verdict, 'policy');
  assert.match(odd.enhancedMeaning ?? '', /security or policy/i);
});

test('explain: next steps differ by cause', () => {
  const steps = new Set(
    [
      '550 5.1.1 x',
      '552 5.2.2 full',
      '550 5.7.26 dmarc',
      '554 5.7.1 blocked using zen.spamhaus.org',
      '250 2.0.0 OK',
    ].map((t) => explainSmtp(t).nextStep),
  );
  assert.equal(steps.size, 5);
  assert.match(explainSmtp('550 5.7.26 DMARC').nextStep, /SPF|DKIM|DMARC/);
  assert.match(explainSmtp('550 5.1.1 x').nextStep, /typo/);
});
