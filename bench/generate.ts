/**
 * Realistic synthetic Retarus delivery exports: deterministic (seeded), with the value sets of the
 * portal documentation, multi-version Correlation IDs, bounces with real-world SMTP texts (some
 * multi-line, quoted), and the current header names. Used by the benchmark and by tests that need
 * large inputs. Streams to disk so 5M rows do not need 2 GB of memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { COLUMNS } from '../common/columns';

/** Small, fast, seedable PRNG (mulberry32), so every run of the bench sees the same file. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = [
  'gmail.com',
  'web.de',
  'gmx.de',
  'outlook.com',
  'yahoo.com',
  't-online.de',
  'kunde.de',
  'example.org',
  'firma.ch',
  'mail.sg',
];
const FIRST = [
  'jane',
  'max',
  'anna',
  'lukas',
  'maria',
  'paul',
  'lea',
  'tom',
  'sofia',
  'jonas',
  'emma',
  'felix',
];
const LAST = [
  'mueller',
  'schmidt',
  'schneider',
  'fischer',
  'weber',
  'meyer',
  'wagner',
  'becker',
  'hoffmann',
  'koch',
];
const SENDERS = [
  'noreply@shop.example.com',
  'invoice@billing.example.com',
  'news@mail.example.com',
  'alerts@app.example.com',
];
const REGIONS = ['DE1', 'DE2', 'US1', 'US2', 'SG1', 'CH1'];

export const SMTP_SAMPLES = {
  delivered: [
    '250 2.0.0 OK 1700000000 x12si345678abc.12 - gsmtp',
    '250 Requested mail action okay, completed: id=1MZTb1-1r5',
    '250 2.6.0 <msg@example.com> Queued mail for delivery',
  ],
  hard: [
    '550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table',
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser",
    '[5.2.0] bounced (host mx.{domain} said: 550 5.2.0 mailbox unavailable)',
    '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org',
    '553 5.1.3 The recipient address <{to}> is not a valid RFC-5321 address',
  ],
  soft: [
    '452 4.2.2 The email account that you tried to reach is over quota',
    '421 4.7.0 Try again later, closing connection.',
    '451 4.3.0 Temporary lookup failure',
  ],
} as const;

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function csvField(v: string, delimiter = ','): string {
  return /["\n\r]/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export interface GenerateOptions {
  readonly rows: number;
  readonly seed?: number;
  /** First Creation Time; rows spread over `spanDays`. */
  readonly startMs?: number;
  readonly spanDays?: number;
  /**
   * Share of hard-bounced or invalid single-record messages whose address is a planted typo: half a
   * near-miss provider domain (gmial.com), half a delivered address with a letter left out. Drawn
   * from a generator of its own, so every other value is the same as without typos. Default 0.
   */
  readonly typoShare?: number;
}

/** Near misses of the generator's provider domains, as a customer mistypes them. */
const TYPO_DOMAIN: Readonly<Record<string, string>> = {
  'gmail.com': 'gmial.com',
  'gmx.de': 'gmx.dee',
  't-online.de': 't-onlin.de',
  'outlook.com': 'outlok.com',
  'yahoo.com': 'yahoo.con',
  'web.de': 'wbe.de',
};

/** `to` with one letter of its local part left out (jane.x@ -> jne.x@): one edit from the address. */
function dropped(to: string, at: number): string {
  const i = 1 + (at % Math.max(1, to.indexOf('@') - 2));
  return to.slice(0, i) + to.slice(i + 1);
}

/** Produces the rows as arrays of strings in the current header order. */
export function* generateRows(opts: GenerateOptions): Generator<string[]> {
  const r = rng(opts.seed ?? 42);
  const start = opts.startMs ?? Date.UTC(2026, 9, 1);
  const span = (opts.spanDays ?? 30) * 86_400_000;
  const typoRng = rng((opts.seed ?? 42) + 1);
  const typoShare = opts.typoShare ?? 0;
  let lastDelivered = '';
  let produced = 0;
  let msg = 0;
  while (produced < opts.rows) {
    msg++;
    const t = start + Math.floor((produced / opts.rows) * span + r() * 1000);
    const domain = pick(r, DOMAINS);
    let to = `${pick(r, FIRST)}.${pick(r, LAST)}${Math.floor(r() * 20000)}@${domain}`;
    const from = pick(r, SENDERS);
    const corr = `c${msg.toString(16).padStart(12, '0')}-${Math.floor(r() * 0xffff).toString(16)}`;
    const job = `J${Math.floor(msg / 50)}`;
    const roll = r();
    // Most messages have one record; some bounce after a first accepted version.
    const versions = roll < 0.12 ? 2 : 1;
    const undeliverable = (roll >= 0.82 && roll < 0.9) || roll >= 0.975;
    if (typoShare > 0 && versions === 1 && undeliverable && typoRng() < typoShare) {
      const typoDomain = TYPO_DOMAIN[domain];
      if (typoRng() < 0.5 && typoDomain !== undefined) to = to.replace(/@.*$/, `@${typoDomain}`);
      else if (lastDelivered !== '') to = dropped(lastDelivered, Math.floor(typoRng() * 1000));
    } else if (roll < 0.82) lastDelivered = to;
    for (let v = 1; v <= versions && produced < opts.rows; v++) {
      const last = v === versions;
      const outcome = !last
        ? 'ok'
        : roll < 0.82
          ? 'ok'
          : roll < 0.9
            ? 'hard'
            : roll < 0.95
              ? 'soft'
              : roll < 0.975
                ? 'suppressed'
                : 'invalid';
      let status = 'OK';
      let sub = 'DELIVERED';
      let details = 'OK';
      let smtp: string = pick(r, SMTP_SAMPLES.delivered);
      if (outcome === 'hard')
        [status, sub, details, smtp] = ['ERROR', 'BOUNCED', 'HARD_BOUNCE', pick(r, SMTP_SAMPLES.hard)];
      else if (outcome === 'soft')
        [status, sub, details, smtp] = ['ERROR', 'BOUNCED', 'SOFT_BOUNCE', pick(r, SMTP_SAMPLES.soft)];
      else if (outcome === 'suppressed')
        [status, sub, details, smtp] = [
          'ERROR',
          'DROPPED',
          r() < 0.5 ? 'SUPPRESSED' : 'PREVIOUSLY_BOUNCED',
          '',
        ];
      else if (outcome === 'invalid')
        [status, sub, details, smtp] = ['ERROR', 'DROPPED', 'INVALID_ADDRESS', ''];
      const toDomain = to.slice(to.lastIndexOf('@') + 1);
      smtp = smtp.replace('{to}', to).replace('{domain}', toDomain);
      const metaTime = t + v * 1500;
      yield [
        iso(t),
        from,
        to,
        from.split('@')[1],
        toDomain,
        `u-${msg}-${v}`,
        String(2000 + Math.floor(r() * 200000)),
        status,
        sub,
        details,
        smtp,
        `ref-${Math.floor(msg / 50)}`,
        corr,
        job,
        `CC${Math.floor(r() * 20)}`,
        `P${Math.floor(r() * 5)}`,
        'tenant-a',
        `TA${Math.floor(r() * 3)}`,
        `campaign-${Math.floor(msg / 5000)}`,
        `m-${msg}-${v}`,
        String(v),
        iso(metaTime),
        r() < 0.7 ? 'rest' : 'smtp',
        pick(r, REGIONS),
      ];
      produced++;
    }
  }
}

export function headerLine(delimiter = ','): string {
  return COLUMNS.map((c) => c.header).join(delimiter);
}

export function toCsv(rows: Iterable<readonly string[]>, delimiter = ','): string {
  let out = headerLine(delimiter) + '\r\n';
  for (const row of rows) out += row.map((v) => csvField(v, delimiter)).join(delimiter) + '\r\n';
  return out;
}

/** Writes an export of `opts.rows` records to `file`; returns its size in bytes. */
export async function writeExport(file: string, opts: GenerateOptions): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  let buf = headerLine() + '\r\n';
  for (const row of generateRows(opts)) {
    buf += row.map((v) => csvField(v)).join(',') + '\r\n';
    if (buf.length > 1 << 20) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  bytes += Buffer.byteLength(buf);
  out.end(buf);
  await once(out, 'finish');
  return bytes;
}
