/**
 * PDF from the report HTML with Electron's printToPDF: a hidden, sandboxed window without
 * JavaScript, in its own session that refuses every request but the one temp file it loads (the
 * report needs none: styles and the histogram are inline).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';

export async function htmlToPdf(html: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'di-report-'));
  const file = path.join(dir, 'report.html');
  await writeFile(file, html, 'utf8');
  const allowed = pathToFileURL(file).href;
  const ses = session.fromPartition('report-pdf');
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== allowed }));
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      session: ses,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      navigateOnDragDrop: false,
      // The report has no links to click, but middle-click must never open a window.
      disableBlinkFeatures: 'Auxclick',
      javascript: false,
    },
  });
  try {
    await win.loadFile(file);
    return await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    win.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
