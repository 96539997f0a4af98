/**
 * Parse worker: reads the export, decodes, parses and validates it on the second core while the
 * importing thread only inserts. Sends one batch per chunk read and waits for acknowledgements so at
 * most a few batches are in flight (memory stays flat however large the file is).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { BatchSender } from './batch-sender';
import type { FromParser, ParserInit } from './feed-protocol';
import { ParsePipeline } from './parse-pipeline';
import { FIELD_SEP } from './rows';
import { assumeZone } from './timestamps';

// 96 KiB: the chunk's text and the batch string made of it stay below V8's large-object size
// (128 KiB; two-byte text excepted). Larger strings each get fresh pages from the kernel, zeroed on
// first touch, in both threads: with 256 KiB chunks that cost 1.3 s of system time per 1M rows
// (rows phase 7.8-8.4 s -> 6.4-7.4 s). 1 MiB chunks also let rows survive into old space.
const CHUNK_BYTES = 96 * 1024;

async function run(port: NonNullable<typeof parentPort>, init: ParserInit): Promise<void> {
  assumeZone(init.timeZone);
  const sender = new BatchSender(port);
  const pipeline = new ParsePipeline(init);
  const { builder, decoder } = pipeline;
  const hash = createHash('sha256');
  const fd = openSync(init.path, 'r');
  const chunkBytes = init.chunkBytes ?? CHUNK_BYTES;
  const chunk = Buffer.alloc(chunkBytes);
  let bytesRead = 0;
  const flush = async (): Promise<void> => {
    const { values, nums, rows, rejected, specials } = builder.take();
    await sender.send({
      type: 'batch',
      data: values.join(FIELD_SEP),
      nums,
      rows,
      rejected,
      specials,
      bytesRead,
      zoneless: builder.zoneless,
    });
  };
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkBytes, null);
      const bytes = chunk.subarray(0, n);
      hash.update(bytes);
      bytesRead += n;
      if (!pipeline.push(bytes, n === 0)) {
        port.postMessage({ type: 'encoding' } satisfies FromParser);
        return;
      }
      if (builder.rows > 0 || builder.rejected.length > 0 || n === 0) await flush();
      if (n === 0) break;
    }
  } finally {
    closeSync(fd);
  }
  port.postMessage({
    type: 'end',
    contentHash: hash.digest('hex'),
    encoding: decoder.encoding,
    switchedAt: decoder.switchedAt,
    unknownValues: builder.enums.result(),
  } satisfies FromParser);
}

const port = parentPort;
if (port) {
  run(port, workerData as ParserInit).catch((err: unknown) => {
    port.postMessage({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
    } satisfies FromParser);
  });
}
