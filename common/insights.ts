/**
 * Types of the insights channels (recipient domains, bounce incidents, typo hints, case report),
 * kept beside contract.ts so the contract itself only gains the channel entries. Plain types only.
 */
import type { Verdict } from './contract';

/** One group of SMTP replies (same basic + enhanced code) with a redacted sample and its meaning. */
export interface ReplySummary {
  /** e.g. "550 5.1.1", or "(no reply)". */
  readonly code: string;
  readonly count: number;
  /** One reply text of the group, addresses replaced by <address>. */
  readonly sample: string;
  readonly summary: string;
  readonly verdict: Verdict;
  readonly nextStep: string;
}

export interface DomainCounts {
  readonly messages: number;
  readonly delivered: number;
  readonly hardBounces: number;
  readonly softBounces: number;
  readonly dropped: number;
  readonly other: number;
  /** (hard + soft bounces) / messages; 0 without messages. */
  readonly bounceRate: number;
}

export interface DomainLine extends DomainCounts {
  /** The domain, or `provider:<id>` for a provider's group line. */
  readonly key: string;
  readonly label: string;
  readonly provider: string | null;
  /** The recipient domains this line covers (lower-cased); one for a plain domain. */
  readonly domains: readonly string[];
  /** Records per day, aligned with DomainsReport.days. */
  readonly trend: readonly number[];
  /** Bounced records per day, aligned with DomainsReport.days. */
  readonly trendBounced: readonly number[];
  readonly topReplies: readonly ReplySummary[];
  /** A provider line's domains, each as its own line; empty otherwise. */
  readonly members: readonly DomainLine[];
}

export interface DomainsReport {
  /** Start of each day of the trend (UTC midnight, epoch ms). */
  readonly days: readonly number[];
  readonly lines: readonly DomainLine[];
  /** Distinct recipient domains under the filter. */
  readonly domainCount: number;
  /** True when lines were cut to the requested limit (the largest are kept). */
  readonly truncated: boolean;
}

export type Severity = 'low' | 'medium' | 'high';

export interface Incident {
  /** The provider group (`provider:<id>`) or domain the statistic was computed for. */
  readonly key: string;
  readonly label: string;
  readonly domains: readonly string[];
  /** First flagged hour's start and last flagged hour's end, epoch ms ([start, end)). */
  readonly start: number;
  readonly end: number;
  readonly messages: number;
  /** Bounced records in the window (the affected messages). */
  readonly bounced: number;
  readonly rate: number;
  readonly peakRate: number;
  /** The unit's median hourly bounce rate over the case and its robust spread (1.4826 x MAD). */
  readonly baselineRate: number;
  readonly spread: number;
  /** (peak rate - median) / spread of the peak hour. */
  readonly score: number;
  readonly severity: Severity;
  readonly dominantReply: ReplySummary | null;
  /** "Why this is flagged", in words. */
  readonly why: string;
}

export interface IncidentsReport {
  readonly bucketMs: number;
  /** The statistic and its thresholds, in words (the same text the README states). */
  readonly method: string;
  readonly incidents: readonly Incident[];
  /** Domains / provider groups with enough hourly volume to have a baseline. */
  readonly unitsChecked: number;
}

export type TypoKind = 'domain' | 'local';

export interface TypoHint {
  readonly address: string;
  readonly suggestion: string;
  readonly kind: TypoKind;
  /** Why, in words: "gmial.com is one edit from gmail.com, which ...". */
  readonly reason: string;
}

export interface TypoLine extends TypoHint {
  /** Hard-bounced or invalid records of the address under the filter. */
  readonly count: number;
}

export interface TyposReport {
  readonly hints: readonly TypoLine[];
  /** Distinct hard-bounced or invalid addresses checked. */
  readonly checked: number;
  readonly truncated: boolean;
}

export type ReportFormat = 'html' | 'pdf';

export interface CaseReport {
  readonly html: string;
  /** Records matching the filter, and how many of them the report lists. */
  readonly matching: number;
  readonly listed: number;
}
