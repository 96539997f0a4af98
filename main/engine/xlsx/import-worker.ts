/**
 * The parse worker for Excel workbooks: reads the shared-string table first (spilling to disk
 * beyond a budget), then every sheet the importing thread found to be an export, row by row, and
 * sends the rows' cell text; the importing thread builds them into the batches the CSV parse worker
 * sends (cell-batches.ts: same RowBuilder), so storing, dedupe, rejects, progress and cancel are
 * shared.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { BatchSender } from '../import/batch-sender';
import type { FromParser, ParserInit } from '../import/feed-protocol';
import { CellBatcher } from './cell-batches';
import { ZoneOffsets } from './dates';
import { readWorkbookMeta } from './meta';
import type { XlsxPlan } from './plan';
import { SharedStrings } from './shared-strings';
import { readSheet } from './sheet';
import { WorkbookZip } from './zip';

// About the rows of one 96 KiB CSV chunk: batch strings stay small (see parse-worker.ts).
const BATCH_ROWS = 256;
// Inflated text per step. yauzl's 16 KiB pieces: 25k steps for the 300k-row inline sheet (413 MB of
// XML), each through three streams, a decode and a scanner write. 96 KiB: -9 % CPU of the parse
// worker (17.7 / 17.8 s vs 19.2 / 19.7 s, alternating runs under load); 256 KiB and 1 MiB were slower
// to the end (38-58 s vs 15-32 s wall, same CPU): text over V8's 128 KiB large-object size, as
// parse-worker.ts found for CSV.
const INFLATE_CHUNK = 96 * 1024;

function fileHash(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

async function run(
  port: NonNullable<typeof parentPort>,
  init: ParserInit & { xlsx: XlsxPlan },
): Promise<void> {
  const sender = new BatchSender(port);
  const totalBytes = statSync(init.path).size;
  const contentHash = fileHash(init.path);
  const zip = await WorkbookZip.open(init.path);
  let strings: SharedStrings | null = null;
  try {
    const meta = await readWorkbookMeta(zip);
    let done = 0;
    if (meta.sharedStrings !== null) {
      strings = new SharedStrings(init.xlsx.memoryBudget);
      // Read as the sheets refer to it, so the first rows go out at once (shared-strings.ts open).
      strings.open(zip, meta.sharedStrings, INFLATE_CHUNK);
      done += zip.sizes(meta.sharedStrings).packed;
    }
    for (const [index, sheet] of init.xlsx.sheets.entries()) {
      const batcher = new CellBatcher();
      const width = sheet.columns.length;
      const { raw: rawSize, packed } = zip.sizes(sheet.part);
      let bytesRead = done;
      const flush = (): Promise<void> => sender.send(batcher.take(index, Math.min(bytesRead, totalBytes)));
      const ctx = {
        strings,
        dateStyles: meta.dateStyles,
        date1904: meta.date1904,
        zone: sheet.zone === null ? null : new ZoneOffsets(sheet.zone),
      };
      await readSheet(
        zip.chunks(sheet.part, INFLATE_CHUNK),
        ctx,
        async (row, cells) => {
          if (row <= sheet.headerRow) return;
          // Excel leaves trailing empty cells out; a blank row is no record (as an empty CSV line).
          while (cells.length > width && cells[cells.length - 1] === '') cells.pop();
          if (cells.length === 0 || cells.every((c) => c === '')) return;
          while (cells.length < width) cells.push('');
          batcher.add(row, cells);
          if (batcher.rows >= BATCH_ROWS) await flush();
        },
        (raw) => (bytesRead = done + (rawSize > 0 ? Math.round((packed * raw) / rawSize) : 0)),
      );
      done += packed;
      bytesRead = done;
      await flush();
    }
    // The rest of the table, unread by any sheet, is still read: a damaged table fails the import as before.
    await strings?.more(Infinity);
  } finally {
    strings?.close();
    zip.close();
  }
  port.postMessage({
    type: 'end',
    contentHash,
    encoding: 'utf-8',
    switchedAt: null,
    // Counted by the importing thread's RowBuilders (feed.ts).
    unknownValues: {},
  } satisfies FromParser);
}

const port = parentPort;
if (port) {
  run(port, workerData as ParserInit & { xlsx: XlsxPlan }).catch((err: unknown) => {
    port.postMessage({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
    } satisfies FromParser);
  });
}
