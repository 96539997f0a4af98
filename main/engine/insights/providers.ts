/**
 * Mailbox providers from providers.json (a data file, so support staff can add one without touching
 * code): which provider a recipient domain belongs to, and the well-known domains a mistyped domain
 * is compared with.
 */
import data from './providers.json';

export interface Provider {
  readonly id: string;
  readonly name: string;
  /** Exact domains, or `name.*` for the name under any listed top-level domain (hotmail.co.uk). */
  readonly domains: readonly string[];
  /** Exact domains a near-miss domain is corrected to. */
  readonly common: readonly string[];
}

export interface ProviderIndex {
  readonly providers: readonly Provider[];
  /** The provider of a lower-cased domain, or null. */
  providerOf(domain: string): Provider | null;
  /** Every provider's common domains, lower-cased. */
  readonly commonDomains: readonly string[];
}

function isProvider(v: unknown): v is Provider {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  const strings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');
  return typeof p.id === 'string' && typeof p.name === 'string' && strings(p.domains) && strings(p.common);
}

/** Builds the lookup; throws with the entry's position when the data file is malformed. */
export function createProviderIndex(list: readonly unknown[], tlds: readonly string[]): ProviderIndex {
  const tldSet = new Set(tlds.map((t) => t.toLowerCase()));
  const exact = new Map<string, Provider>();
  const wildcard = new Map<string, Provider>();
  const providers: Provider[] = [];
  list.forEach((v, i) => {
    if (!isProvider(v)) throw new Error(`providers.json: entry ${i} needs id, name, domains[] and common[]`);
    providers.push(v);
    for (const d of v.domains) {
      const low = d.toLowerCase();
      if (low.endsWith('.*')) wildcard.set(low.slice(0, -2), v);
      else exact.set(low, v);
    }
  });
  return {
    providers,
    commonDomains: [...new Set(providers.flatMap((p) => p.common.map((d) => d.toLowerCase())))],
    providerOf(domain: string): Provider | null {
      const hit = exact.get(domain);
      if (hit) return hit;
      // hotmail.de -> "hotmail" + "de"; hotmail.co.uk -> "hotmail" + "co.uk". gmx.dee is no provider.
      const dot = domain.indexOf('.');
      if (dot <= 0 || !tldSet.has(domain.slice(dot + 1))) return null;
      return wildcard.get(domain.slice(0, dot)) ?? null;
    },
  };
}

export const PROVIDERS: ProviderIndex = createProviderIndex(data.providers, data.wildcardTlds);
