/**
 * The open workspace and the shell's side of the IPC contract (SHELL_CHANNELS). Native dialogs are
 * injected (main passes electron's; tests pass fakes), so all of this runs and is tested under Node.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { WorkspaceInfo } from '../../common/contract';
import type { ReportFormat } from '../../common/insights';
import { EngineError } from '../engine/errors';
import { EngineHost } from '../engine/worker/host';
import type { ShellDeps } from '../ipc/table';
import { safeExportName } from './files';
import { pathKey, type PathGrants } from './grants';
import { saveReport } from './report';
import {
  RecentWorkspaces,
  assertOpenableWorkspace,
  defaultWorkspacePath,
  deleteWorkspaceFiles,
  withWorkspaceExt,
} from './workspaces';

/** Native dialogs; each resolves to null / [] when the user cancels. */
export interface Dialogs {
  readonly pickImportFiles: () => Promise<readonly string[]>;
  readonly pickExportPath: (defaultName: string) => Promise<string | null>;
  readonly pickNewWorkspace: (defaultPath: string) => Promise<string | null>;
  readonly pickWorkspace: (defaultDir: string) => Promise<string | null>;
  readonly showItemInFolder: (file: string) => void;
  /** Save dialog for a case report (HTML or PDF); falls back to pickExportPath. */
  readonly pickReportPath?: (defaultName: string, format: ReportFormat) => Promise<string | null>;
}

export interface SessionOptions {
  readonly userData: string;
  readonly dialogs: Dialogs;
  readonly grants: PathGrants;
  /** Called after every switch or clear, with the host now serving. */
  readonly onChanged: (host: EngineHost, info: WorkspaceInfo) => void;
  readonly openHost?: (dbPath: string) => EngineHost | Promise<EngineHost>;
  /** Prints report HTML to PDF (Electron's printToPDF); without it PDF reports are refused. */
  readonly printToPdf?: (html: string) => Promise<Buffer>;
}

export class WorkspaceSession {
  readonly recent: RecentWorkspaces;
  private current: EngineHost | null = null;
  /** Opens and clears run one at a time; a double click must not open two hosts on one file. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SessionOptions) {
    this.recent = new RecentWorkspaces(path.join(opts.userData, 'recent-workspaces.json'));
  }

  host(): EngineHost {
    if (!this.current) throw new EngineError('ENGINE_UNAVAILABLE', 'No workspace is open');
    return this.current;
  }

  get path(): string | null {
    return this.current?.dbPath ?? null;
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Opens the most recent workspace that still exists, else the default one in user data. */
  start(): Promise<WorkspaceInfo> {
    return this.open(this.recent.list()[0] ?? defaultWorkspacePath(this.opts.userData));
  }

  open(dbPath: string): Promise<WorkspaceInfo> {
    return this.serial(() => this.switchTo(path.resolve(dbPath)));
  }

  private async switchTo(dbPath: string): Promise<WorkspaceInfo> {
    if (this.current && pathKey(this.current.dbPath) === pathKey(dbPath)) return this.info();
    assertOpenableWorkspace(dbPath);
    // The default workspace's folder does not exist on first start.
    mkdirSync(path.dirname(dbPath), { recursive: true });
    // Opened (and migrated) in the engine's worker; fails here, before the switch, if it cannot be.
    const next = await (this.opts.openHost ?? ((p: string) => EngineHost.start(p)))(dbPath);
    const previous = this.current;
    this.current = next;
    if (previous) await previous.close();
    this.recent.add(dbPath);
    return this.changed();
  }

  /**
   * Replaces the open workspace with an empty one: close it, remove the file and its WAL/SHM, start
   * empty. Only main calls this (New workspace onto the open file, after the save dialog's own
   * overwrite question); it is deliberately not an IPC channel, so no renderer call can wipe data.
   */
  clear(): Promise<WorkspaceInfo> {
    return this.serial(async () => {
      const host = this.host();
      const dbPath = host.dbPath;
      this.current = null;
      await host.close();
      deleteWorkspaceFiles(dbPath);
      this.current = await (this.opts.openHost ?? ((p: string) => EngineHost.start(p)))(dbPath);
      return this.changed();
    });
  }

  private info(): Promise<WorkspaceInfo> {
    return this.host().invoke('workspace:info', {});
  }

  private async changed(): Promise<WorkspaceInfo> {
    const info = await this.info();
    this.opts.onChanged(this.host(), info);
    return info;
  }

  async close(): Promise<void> {
    await this.queue;
    const host = this.current;
    this.current = null;
    if (host) await host.close();
  }

  /** May the renderer reveal this file? Only files main itself handed out or manages. */
  private mayReveal(p: string): boolean {
    return (
      this.opts.grants.has('reveal', p) ||
      this.recent.has(p) ||
      (this.current !== null && pathKey(this.current.dbPath) === pathKey(p))
    );
  }

  shellDeps(): ShellDeps {
    const { dialogs, grants, userData } = this.opts;
    const workspacesDir = path.dirname(defaultWorkspacePath(userData));
    return {
      'workspace:recent': () => Promise.resolve(this.recent.list()),
      'workspace:new': async () => {
        const stamp = new Date().toISOString().slice(0, 10);
        const picked = await dialogs.pickNewWorkspace(path.join(workspacesDir, `case-${stamp}.sqlite`));
        if (picked === null) return null;
        const target = path.resolve(withWorkspaceExt(picked));
        // The save dialog already asked before replacing an existing file.
        if (existsSync(target)) {
          if (this.current && pathKey(this.current.dbPath) === pathKey(target)) return this.clear();
          assertOpenableWorkspace(target);
          deleteWorkspaceFiles(target);
        }
        return this.open(target);
      },
      'workspace:open': async ({ path: requested }) => {
        if (requested !== undefined) {
          // Without a dialog, only a workspace from the recent list: the renderer cannot name files.
          if (!this.recent.has(requested))
            throw new EngineError(
              'FORBIDDEN',
              'Only a workspace from the recent list can be opened directly',
              {
                path: requested,
              },
            );
          if (!existsSync(requested))
            throw new EngineError('NOT_FOUND', `The workspace file no longer exists: ${requested}`);
          return this.open(requested);
        }
        const picked = await dialogs.pickWorkspace(workspacesDir);
        return picked === null ? null : this.open(picked);
      },
      'import:pick': async () => {
        const paths = await dialogs.pickImportFiles();
        grants.grant('import', paths);
        return paths;
      },
      'export:pick': async ({ suggestedName }) => {
        const picked = await dialogs.pickExportPath(safeExportName(suggestedName));
        if (picked === null) return null;
        grants.grant('export', [picked]);
        grants.grant('reveal', [picked]);
        return picked;
      },
      'report:save': (args) =>
        saveReport(
          {
            pickPath: async (name, format) => {
              const picked = await (dialogs.pickReportPath ?? dialogs.pickExportPath)(name, format);
              if (picked !== null) grants.grant('reveal', [picked]);
              return picked;
            },
            build: (filter) => this.host().invoke('report:html', { filter }),
            ...(this.opts.printToPdf ? { toPdf: this.opts.printToPdf } : {}),
          },
          args,
        ),
      'shell:showInFolder': ({ path: file }) => {
        if (!this.mayReveal(file))
          throw new EngineError('FORBIDDEN', 'Only files the app created or opened can be shown', {
            path: file,
          });
        dialogs.showItemInFolder(file);
        return Promise.resolve(true as const);
      },
    };
  }
}
