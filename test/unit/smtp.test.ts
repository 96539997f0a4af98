import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainSmtp } from '../../main/engine/smtp/explain';
import { runCases, type ReplyCase } from './smtp-fixture';

/** Big mailbox providers' replies as they word them (addresses and IPs replaced). */
const CASES: readonly ReplyCase[] = [
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
];

runCases('explain', CASES);

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
