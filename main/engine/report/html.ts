/** HTML building blocks for the case report: escaping, tables, the page frame with its print CSS. */

export function escapeHtml(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
  numeric: readonly number[] = [],
): string {
  const th = headers
    .map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** No script and nothing to fetch: the CSP forbids every request, styles are inline. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
body { font: 12px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d1d1f; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 22px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
.meta { color: #555; margin: 0 0 12px; } .question { font-size: 14px; background: #f4f6f8; padding: 8px 10px; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; } th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f4f6f8; font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td { word-break: break-word; } .muted { color: #666; } .small { font-size: 11px; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; } .totals div { border: 1px solid #ddd; border-radius: 4px; padding: 6px 10px; }
.totals strong { display: block; font-size: 16px; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
${body}
</body></html>
`;
}
