/** The time histogram as inline SVG (no script, no external file), with incidents marked below it. */
import type { Histogram } from '../../../common/contract';
import { escapeHtml } from './html';
import { isoMinute } from '../../../common/filter-words';

const W = 720;
const H = 150;
const PLOT = 110;
const COLORS = { delivered: '#2e7d32', bounced: '#c62828', dropped: '#ef6c00', other: '#78909c' } as const;
const OUTCOMES = ['delivered', 'bounced', 'dropped', 'other'] as const;

export function histogramSvg(h: Histogram, marks: readonly { start: number; end: number }[]): string {
  const n = Math.max(1, h.buckets.length);
  const bw = W / n;
  const max = Math.max(1, ...h.buckets.map((b) => b.delivered + b.bounced + b.dropped + b.other));
  const parts: string[] = [];
  h.buckets.forEach((b, i) => {
    let y = PLOT;
    for (const o of OUTCOMES) {
      const bh = (b[o] / max) * (PLOT - 4);
      if (bh <= 0) continue;
      y -= bh;
      parts.push(
        `<rect x="${(i * bw + 0.5).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS[o]}"/>`,
      );
    }
  });
  if (h.from !== null && h.to !== null) {
    const span = h.to - h.from;
    for (const m of marks) {
      const x0 = (Math.max(m.start, h.from) - h.from) / span;
      const x1 = (Math.min(m.end, h.to) - h.from) / span;
      if (x1 <= 0 || x0 >= 1) continue;
      parts.push(
        `<rect x="${(x0 * W).toFixed(1)}" y="${PLOT + 3}" width="${Math.max(3, (x1 - x0) * W).toFixed(1)}" height="6" fill="#b71c1c"><title>Incident</title></rect>`,
      );
    }
    const label = (x: number, anchor: string, t: number): string =>
      `<text x="${x}" y="${H - 4}" font-size="10" text-anchor="${anchor}" fill="#444">${escapeHtml(isoMinute(t))}</text>`;
    parts.push(
      label(2, 'start', h.from),
      label(W / 2, 'middle', h.from + span / 2),
      label(W - 2, 'end', h.to),
    );
  }
  parts.push(`<line x1="0" x2="${W}" y1="${PLOT + 0.5}" y2="${PLOT + 0.5}" stroke="#999"/>`);
  const legend = OUTCOMES.map(
    (o, i) =>
      `<rect x="${i * 90}" y="-15" width="10" height="10" fill="${COLORS[o]}"/><text x="${i * 90 + 14}" y="-6" font-size="10">${o}</text>`,
  ).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 -16 ${W} ${H + 16}" width="100%" role="img" aria-label="Records over time by outcome">${legend}${parts.join('')}</svg>`;
}
