import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { rng } from '../../bench/generate';
import { localSlip, oneEditApart } from '../../main/engine/insights/edits';
import { PROVIDERS } from '../../main/engine/insights/providers';
import { listTypos, suggestTypos } from '../../main/engine/insights/typos';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { insertCase, type CaseRow } from './insights-fixture';
import { tempWorkspace, type Workspace } from './query-fixture';

const FIRST = [
  'anna',
  'lukas',
  'maria',
  'paul',
  'sophie',
  'jonas',
  'emma',
  'felix',
  'lena',
  'noah',
  'mia',
  'elias',
  'hannah',
  'leon',
  'lina',
  'finn',
  'clara',
  'tobias',
  'julia',
  'stefan',
  'sabine',
  'thomas',
  'andrea',
  'michael',
  'petra',
  'markus',
  'katrin',
  'oliver',
  'nicole',
  'daniel',
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
  'schulz',
  'hoffmann',
  'schaefer',
  'koch',
  'bauer',
  'richter',
  'klein',
  'wolf',
  'schroeder',
  'neumann',
  'schwarz',
  'zimmermann',
  'braun',
  'krueger',
  'hofmann',
  'hartmann',
  'lange',
  'schmitt',
  'werner',
  'krause',
  'meier',
  'lehmann',
  'huber',
  'kaiser',
  'fuchs',
  'peters',
  'lang',
  'scholz',
  'moeller',
  'weiss',
  'jung',
  'hahn',
];
const PROVIDER_DOMAINS = [
  'gmail.com',
  'web.de',
  'gmx.de',
  'gmx.net',
  't-online.de',
  'outlook.com',
  'hotmail.de',
  'yahoo.com',
  'yahoo.de',
  'icloud.com',
  'freenet.de',
];
const COMPANY_DOMAINS = [
  'kunde.de',
  'firma.ch',
  'mueller-gmbh.de',
  'stadtwerke-bonn.de',
  'praxis-weber.de',
  'autohaus-koch.de',
  'example-shop.com',
  'kanzlei-braun.de',
  'hotel-alpenblick.at',
  'bau-schulz.de',
];
const KEYS = 'qwertyuiopasdfghjklzxcvbnm';

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function person(r: R): string {
  const f = pick(r, FIRST);
  const l = pick(r, LAST);
  const year = String(60 + Math.floor(r() * 40));
  switch (Math.floor(r() * 7)) {
    case 0:
      return `${f}.${l}`;
    case 1:
      return `${f}${l}`;
    case 2:
      return `${f[0]}.${l}`;
    case 3:
      return `${f}_${l}`;
    case 4:
      return `${f}.${l}${year}`;
    case 5:
      return `${l}.${f}`;
    default:
      return `${f}-${l}`;
  }
}

/** One slip at a letter: drop, double, neighbour key, swap with the next. */
function slip(r: R, s: string): string {
  const letters = [...s].map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
  const i = pick(r, letters);
  switch (Math.floor(r() * 4)) {
    case 0:
      return s.slice(0, i) + s.slice(i + 1);
    case 1:
      return s.slice(0, i) + (s[i] ?? '') + s.slice(i);
    case 2: {
      const k = KEYS.indexOf(s[i] ?? 'a');
      return s.slice(0, i) + (KEYS[(k + 1) % KEYS.length] ?? 'x') + s.slice(i + 1);
    }
    default:
      return i + 1 < s.length
        ? s.slice(0, i) + (s[i + 1] ?? '') + (s[i] ?? '') + s.slice(i + 2)
        : s.slice(0, i);
  }
}

let ws: Workspace;
const delivered = new Set<string>();
const correctBounced: string[] = [];
const planted = new Map<string, string>(); // typo -> intended

before(() => {
  const r = rng(2024);
  ws = tempWorkspace();
  const rows: CaseRow[] = [];
  const t0 = Date.UTC(2026, 9, 1);
  const add = (to: string, ok: boolean, invalid = false): void => {
    const domain = to.slice(to.lastIndexOf('@') + 1);
    rows.push({
      t: t0 + rows.length * 1000,
      to,
      domain,
      status: ok ? 'OK' : 'ERROR',
      substatus: ok ? 'DELIVERED' : invalid ? 'DROPPED' : 'BOUNCED',
      details: ok ? 'OK' : invalid ? 'INVALID_ADDRESS' : 'HARD_BOUNCE',
      smtp: ok ? '250 2.0.0 OK' : invalid ? '' : '550 5.1.1 user unknown',
    });
  };
  while (delivered.size < 4000) {
    const domain = r() < 0.7 ? pick(r, PROVIDER_DOMAINS) : pick(r, COMPANY_DOMAINS);
    delivered.add(`${person(r)}@${domain}`);
  }
  for (const a of delivered) for (let k = 1 + Math.floor(r() * 3); k > 0; k--) add(a, true);
  // Correct addresses that bounce for other reasons (mailbox closed): other people, same domains.
  while (correctBounced.length < 600) {
    const domain = r() < 0.7 ? pick(r, PROVIDER_DOMAINS) : pick(r, COMPANY_DOMAINS);
    const a = `${person(r)}@${domain}`;
    if (delivered.has(a) || correctBounced.includes(a)) continue;
    correctBounced.push(a);
    add(a, false);
  }
  const list = [...delivered];
  while (planted.size < 400) {
    const intended = pick(r, list);
    const at = intended.lastIndexOf('@');
    const typo =
      planted.size % 2 === 0
        ? `${intended.slice(0, at)}@${slip(r, intended.slice(at + 1))}`
        : `${slip(r, intended.slice(0, at))}@${intended.slice(at + 1)}`;
    if (delivered.has(typo) || planted.has(typo) || correctBounced.includes(typo) || typo.startsWith('@'))
      continue;
    planted.set(typo, intended);
    add(typo, false, r() < 0.3);
  }
  insertCase(ws.db, rows);
  updateSearchIndex(ws.db);
});
after(() => ws.close());

test('typo hints: precision on planted typos, and under 1 % false hints on correct addresses', () => {
  const report = listTypos(ws.db, {}, { limit: 100_000 });
  const byAddress = new Map(report.hints.map((h) => [h.address, h]));
  let right = 0;
  let wrong = 0;
  for (const [typo, intended] of planted) {
    const h = byAddress.get(typo);
    if (!h) continue;
    if (h.suggestion === intended) right++;
    else wrong++;
  }
  const found = right + wrong;
  const falseHints = correctBounced.filter((a) => byAddress.has(a));
  const measured = {
    planted: planted.size,
    hinted: found,
    correctSuggestion: right,
    precision: right / found,
    recall: right / planted.size,
    correctAddresses: correctBounced.length,
    falseHints: falseHints.length,
  };
  console.log(`typo precision: ${JSON.stringify(measured)}`);
  assert.ok(falseHints.length / correctBounced.length < 0.01, `false hints: ${falseHints.join(', ')}`);
  assert.ok(measured.precision >= 0.95, JSON.stringify(measured));
  assert.ok(measured.recall >= 0.8, JSON.stringify(measured));
  assert.equal(report.checked, correctBounced.length + planted.size);
});

test('delivered addresses never get a hint (batch lookup)', () => {
  const hints = suggestTypos(ws.db, [...delivered].slice(0, 1500));
  assert.deepEqual(
    hints.filter((h) => h !== null),
    [],
  );
});

test('the likely-typos list and the per-address hint agree', () => {
  const list = listTypos(ws.db, {}, { limit: 100_000 }).hints;
  const sample = [...planted.keys()].slice(0, 120).concat(correctBounced.slice(0, 60));
  const single = suggestTypos(ws.db, sample);
  sample.forEach((a, i) => {
    const fromList = list.find((h) => h.address === a);
    assert.equal(single[i]?.suggestion ?? null, fromList?.suggestion ?? null, a);
  });
});

test('the issue’s examples: common provider domains one slip away', () => {
  const typos = [
    'jane.doe@gmial.com',
    'max.muster@gmx.dee',
    'erika@t-onlin.de',
    'john.smith@outlok.com',
    'mary.jones@yahoo.con',
  ];
  const hints = suggestTypos(ws.db, typos);
  assert.deepEqual(
    hints.map((h) => h?.suggestion),
    [
      'jane.doe@gmail.com',
      'max.muster@gmx.de',
      'erika@t-online.de',
      'john.smith@outlook.com',
      'mary.jones@yahoo.com',
    ],
  );
  assert.equal(hints[0]?.kind, 'domain');
  assert.match(hints[0]?.reason ?? '', /gmail\.com/);
  // A provider's real domain under another TLD is not a typo.
  assert.deepEqual(suggestTypos(ws.db, ['someone@hotmail.fr', 'someone@gmx.ch']), [null, null]);
});

test('slips: one edit or a swap of neighbours; digits are never the slip', () => {
  assert.equal(oneEditApart('gmial.com', 'gmail.com'), true);
  assert.equal(oneEditApart('gmail.com', 'gmail.com'), false);
  assert.equal(oneEditApart('gmx.de', 'web.de'), false);
  assert.equal(localSlip('anna.weber', 'anna.webre'), true);
  assert.equal(localSlip('max.weber12', 'max.weber13'), false);
  assert.equal(localSlip('max.weber1', 'max.weber'), false);
  assert.ok(PROVIDERS.commonDomains.includes('t-online.de'));
});

test('the list read from the address tables equals the list read from the records', () => {
  const filters = [{}, { q: 'domain:gmx.de' }, { q: 'details:invalid_address' }];
  const viaTables = filters.map((f) => listTypos(ws.db, f, { limit: 100_000 }));
  ws.db.exec('BEGIN');
  try {
    ws.db.exec("DELETE FROM meta WHERE key = 'insights_addr_upto'");
    filters.forEach((f, i) =>
      assert.deepEqual(listTypos(ws.db, f, { limit: 100_000 }), viaTables[i], JSON.stringify(f)),
    );
  } finally {
    ws.db.exec('ROLLBACK');
  }
});
