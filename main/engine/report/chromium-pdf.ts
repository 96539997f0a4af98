/**
 * PDF from the report HTML with Chromium's page.pdf (playwright-core), for the CLI and the tests;
 * the app prints with Electron instead (main/shell/report-pdf.ts). The page runs without
 * JavaScript and every request is aborted: the report is self-contained.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { EngineError } from '../errors';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

async function launch(): Promise<Browser> {
  const exe = chromiumPath();
  if (!existsSync(exe))
    throw new EngineError(
      'EXPORT_FAILED',
      `PDF needs Chromium, not found at ${exe}: install it (apt-get install chromium) or set CHROMIUM_PATH, or write .html`,
    );
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
}

/** Prints `html` to an A4 PDF; uses `browser` when given (tests), else launches Chromium and closes it. */
export async function pdfWithChromium(html: string, browser?: Browser): Promise<Buffer> {
  const b = browser ?? (await launch());
  try {
    const context = await b.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
      });
    } finally {
      await context.close();
    }
  } finally {
    if (!browser) await b.close();
  }
}
