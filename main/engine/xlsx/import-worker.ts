/**
 * The parse worker for Excel workbooks: the alternative producer of the batches the CSV parse
 * worker sends (same RowBuilder, same message protocol), so storing, dedupe, rejects, progress and
 * cancel are shared. Reads the shared-string table first (spilling to disk beyond a budget), then
 * every sheet the importing thread found to be an export, row by row.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { UnknownEnumValues } from '../../../common/contract';
import { MAX_LISTED_VALUES } from '../import/enums';
import { BatchSender } from '../import/batch-sender';
import type { FromParser, ParserInit } from '../import/feed-protocol';
import { FIELD_SEP, RowBuilder } from '../import/rows';
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
  // Each sheet has its own RowBuilder (its own columns); the undocumented enum values add up.
  let unknownValues: UnknownEnumValues = {};
  try {
    const meta = await readWorkbookMeta(zip);
    let done = 0;
    if (meta.sharedStrings !== null) {
      strings = new SharedStrings(init.xlsx.memoryBudget);
      await strings.load(zip, meta.sharedStrings, Infinity, INFLATE_CHUNK);
      done += zip.sizes(meta.sharedStrings).packed;
    }
    for (const sheet of init.xlsx.sheets) {
      const builder = new RowBuilder(sheet.columns, sheet.headers);
      const width = sheet.columns.length;
      const { raw: rawSize, packed } = zip.sizes(sheet.part);
      let bytesRead = done;
      const prefix = `sheet "${sheet.name}", row`;
      const flush = async (): Promise<void> => {
        const { values, nums, rows, rejected, specials } = builder.take();
        await sender.send({
          type: 'batch',
          data: values.join(FIELD_SEP),
          nums,
          rows,
          specials,
          rejected: rejected.map((r) => ({ ...r, reason: `${prefix} ${r.line}: ${r.reason}` })),
          bytesRead: Math.min(bytesRead, totalBytes),
          // Date cells of a sheet that states its zone carry no assumption.
          zoneless: builder.zoneless && sheet.zone === null,
        });
      };
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
          const raw = cells.join('\t');
          builder.add(cells, row, raw, 0, raw.length, raw.includes(FIELD_SEP), raw.includes('\u0000'));
          if (builder.rows + builder.rejected.length >= BATCH_ROWS) await flush();
        },
        (raw) => (bytesRead = done + (rawSize > 0 ? Math.round((packed * raw) / rawSize) : 0)),
      );
      done += packed;
      bytesRead = done;
      await flush();
      unknownValues = mergeUnknown(unknownValues, builder.enums.result());
    }
  } finally {
    strings?.close();
    zip.close();
  }
  port.postMessage({
    type: 'end',
    contentHash,
    encoding: 'utf-8',
    switchedAt: null,
    unknownValues,
  } satisfies FromParser);
}

function mergeUnknown(a: UnknownEnumValues, b: UnknownEnumValues): UnknownEnumValues {
  const out: Record<string, { rows: number; values: readonly string[] }> = { ...a };
  for (const [id, u] of Object.entries(b)) {
    const prev = out[id];
    out[id] = prev
      ? {
          rows: prev.rows + u.rows,
          values: [...new Set([...prev.values, ...u.values])].slice(0, MAX_LISTED_VALUES),
        }
      : u;
  }
  return out;
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
