/**
 * Generated cases for the insights tests: domains with their own volume and bounce rate per hour,
 * planted incidents (a domain's bounce rate raised for some hours), and the rows themselves for
 * brute-force comparison.
 */
import type { Database } from 'better-sqlite3';
import { rng } from '../../bench/generate';
import { FIXTURE_COLUMNS, smtpCodes } from '../../bench/query-data';
import { COLUMN_IDS } from '../../common/columns';

export const HOUR = 3_600_000;

export interface DomainSpec {
  readonly domain: string;
  /** Records per hour (on average). */
  readonly perHour: number;
  /** Share of records that bounce (hard 60 %, soft 40 %). */
  readonly bounceRate: number;
}

export interface PlantedIncident {
  readonly domain: string;
  /** Hours after the case start. */
  readonly fromHour: number;
  readonly hours: number;
  readonly bounceRate: number;
  readonly reply: string;
}

export interface CaseSpec {
  readonly seed: number;
  readonly startMs: number;
  readonly hours: number;
  readonly domains: readonly DomainSpec[];
  readonly incidents?: readonly PlantedIncident[];
}

export interface CaseRow {
  readonly t: number;
  readonly to: string;
  readonly domain: string;
  readonly status: string;
  readonly substatus: string;
  readonly details: string;
  readonly smtp: string;
}

const NAMES = ['anna', 'ben', 'clara', 'david', 'eva', 'felix', 'greta', 'hannes', 'ida', 'jonas'];
const LAST = ['schmidt', 'mueller', 'weber', 'wagner', 'becker', 'hofmann', 'koch', 'richter'];

export function generateCase(spec: CaseSpec): CaseRow[] {
  const r = rng(spec.seed);
  const rows: CaseRow[] = [];
  for (let h = 0; h < spec.hours; h++)
    for (const d of spec.domains) {
      const planted = spec.incidents?.find(
        (i) => i.domain === d.domain && h >= i.fromHour && h < i.fromHour + i.hours,
      );
      const n = Math.round(d.perHour * (0.8 + 0.4 * r()));
      for (let k = 0; k < n; k++) {
        const t = spec.startMs + h * HOUR + Math.floor(r() * HOUR);
        const to = `${NAMES[Math.floor(r() * NAMES.length)]}.${LAST[Math.floor(r() * LAST.length)]}${Math.floor(r() * 500)}@${d.domain}`;
        const roll = r();
        const rate = planted ? planted.bounceRate : d.bounceRate;
        let row: CaseRow;
        if (roll < rate * 0.6)
          row = {
            t,
            to,
            domain: d.domain,
            status: 'ERROR',
            substatus: 'BOUNCED',
            details: 'HARD_BOUNCE',
            smtp: planted ? planted.reply : `550 5.1.1 <${to}>: Recipient address rejected: User unknown`,
          };
        else if (roll < rate)
          row = {
            t,
            to,
            domain: d.domain,
            status: 'ERROR',
            substatus: 'BOUNCED',
            details: 'SOFT_BOUNCE',
            smtp: planted ? planted.reply : '452 4.2.2 Mailbox full',
          };
        else if (roll < rate + 0.02)
          row = {
            t,
            to,
            domain: d.domain,
            status: 'ERROR',
            substatus: 'DROPPED',
            details: 'SUPPRESSED',
            smtp: '',
          };
        else
          row = {
            t,
            to,
            domain: d.domain,
            status: 'OK',
            substatus: 'DELIVERED',
            details: 'OK',
            smtp: '250 2.0.0 OK',
          };
        rows.push(row);
      }
    }
  return rows;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** Inserts the rows in one transaction (domain as given, so mixed case stays mixed). */
export function insertCase(db: Database, rows: readonly CaseRow[]): void {
  const importId = Number(
    db
      .prepare(
        `INSERT INTO imports (file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
          timezone_assumed, started_at, status) VALUES ('case.csv', '/case.csv', 0, ?, 'utf-8', ',', '[]', 'UTC', 0, 'done')`,
      )
      .run(`case-${Math.random()}`).lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO records (${FIXTURE_COLUMNS.join(', ')}) VALUES (${FIXTURE_COLUMNS.map(() => '?').join(', ')})`,
  );
  const start = (db.prepare('SELECT ifnull(max(id), 0) AS m FROM records').get() as { m: number }).m;
  db.transaction(() => {
    rows.forEach((row, i) => {
      const rec: Record<string, string | number | null> = {
        creation_time: iso(row.t),
        message_to: row.to,
        message_to_domain: row.domain,
        message_from: 'noreply@shop.example.com',
        message_from_domain: 'shop.example.com',
        status: row.status,
        substatus: row.substatus,
        status_details: row.details,
        smtp_status_code: row.smtp,
        correlation_id: `c-${start + i}`,
        version: 1,
      };
      const smtp = smtpCodes(row.smtp);
      insert.run(
        importId,
        i + 2,
        `case-${start + i}-${importId}`,
        ...COLUMN_IDS.map((c) => rec[c] ?? null),
        row.t,
        null,
        smtp.code,
        smtp.enhanced,
      );
    });
  })();
}
