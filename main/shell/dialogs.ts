/** Electron's native dialogs behind the Dialogs interface of session.ts. */
import {
  app,
  dialog,
  shell,
  type BrowserWindow,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import path from 'node:path';
import type { Dialogs } from './session';

export function createDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const win = getWindow();
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? [] : r.filePaths;
  };
  const save = async (options: SaveDialogOptions): Promise<string | null> => {
    const win = getWindow();
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? null : r.filePath;
  };
  return {
    pickImportFiles: () =>
      open({
        title: 'Import delivery exports',
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Delivery exports', extensions: ['csv', 'txt', 'tsv', 'xlsx'] },
          { name: 'All files', extensions: ['*'] },
        ],
      }),
    pickExportPath: (defaultName) =>
      save({
        title: 'Export rows',
        defaultPath: path.join(app.getPath('documents'), defaultName),
        filters: /\.xlsx$/i.test(defaultName)
          ? [{ name: 'Excel workbook', extensions: ['xlsx'] }]
          : [{ name: 'CSV', extensions: ['csv'] }],
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      }),
    pickNewWorkspace: (defaultPath) =>
      save({
        title: 'New workspace',
        buttonLabel: 'Create',
        defaultPath,
        filters: [{ name: 'Delivery Inspector workspace', extensions: ['sqlite'] }],
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      }),
    pickWorkspace: async (defaultDir) => {
      const [first] = await open({
        title: 'Open workspace',
        defaultPath: defaultDir,
        properties: ['openFile'],
        filters: [{ name: 'Delivery Inspector workspace', extensions: ['sqlite'] }],
      });
      return first ?? null;
    },
    showItemInFolder: (file) => shell.showItemInFolder(file),
    pickReportPath: (defaultName, format) =>
      save({
        title: 'Save case report',
        defaultPath: path.join(app.getPath('documents'), defaultName),
        filters: [
          format === 'pdf'
            ? { name: 'PDF', extensions: ['pdf'] }
            : { name: 'Web page', extensions: ['html'] },
        ],
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      }),
  };
}
