/**
 * The one IPC message outside the contract, sent by preload code only and never exposed to the
 * page: paths of files dropped on the window. Sandboxed pages get File objects without paths;
 * webUtils.getPathForFile resolves them in preload, and main grants them for import before it
 * tells the page through the contract's 'files:opened' event. Files the page fabricates
 * (new File([...])) have no path, so the page cannot use this to name arbitrary files.
 */
export const FILES_DROPPED_CHANNEL = 'shell:files-dropped';
