/**
 * stdout as a Unix tool uses it: output is written in chunks as it is produced, waiting when the
 * reader is slower (so memory stays flat whatever the row count), and a reader that goes away
 * (`| head -1`, EPIPE) ends the command quietly with status 0, as grep and head do.
 */

import { writeSync } from 'node:fs';
import type { CliIo } from './index';

/** The reader closed the pipe; main() turns this into exit status 0 without a message. */
export class OutputClosed extends Error {
  constructor() {
    super('output closed');
    this.name = 'OutputClosed';
  }
}

interface OutputState {
  closed: boolean;
  error: Error | null;
}

type Stream = NodeJS.WritableStream;

const states = new WeakMap<Stream, OutputState>();

function hasEvents(s: Stream): boolean {
  return typeof (s as { on?: unknown }).on === 'function';
}

/**
 * Watches a stream for write errors once (main() calls it for stdout before any command runs), so an
 * EPIPE is recorded instead of crashing the process as an unhandled 'error' event.
 */
export function watchOutput(stream: Stream): OutputState {
  const known = states.get(stream);
  if (known) return known;
  const created: OutputState = { closed: false, error: null };
  states.set(stream, created);
  if (hasEvents(stream))
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') created.closed = true;
      else created.error = err;
    });
  return created;
}

/** Whether the reader has gone away (a command writing once can simply stop). */
export function outputClosed(stream: Stream): boolean {
  return watchOutput(stream).closed;
}

/** Text gathered into chunks of about this many characters per write. */
const CHUNK = 1 << 16;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Buffered, backpressure-aware writer of a command's stdout. Each chunk goes first to `io.writeChunk`
 * (the process's stdout: fd 1 directly, blocking as a full pipe blocks) and, once that declines, to
 * the stdout stream, waiting for it to drain. Why (issue 12, 19e): making Node's stdout stream cost
 * `query` 7-14 ms of CPU in a fresh process (its stream modules, and `net` for a pipe) under load.
 */
export class StreamWriter {
  private buf = '';
  private state: OutputState | null = null;

  constructor(private readonly io: CliIo) {}

  private check(): void {
    if (this.state === null) return;
    if (this.state.closed) throw new OutputClosed();
    if (this.state.error) throw this.state.error;
  }

  /** Adds text; writes a chunk once enough has gathered. */
  async write(text: string): Promise<void> {
    this.buf += text;
    if (this.buf.length >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    this.check();
    if (this.buf.length > 0) {
      const text = this.buf;
      this.buf = '';
      if (this.io.writeChunk?.(text) !== true) {
        const stream = this.io.stdout;
        this.state = watchOutput(stream);
        if (!stream.write(text) && hasEvents(stream)) await this.drained(stream);
      }
    }
    // A turn of the event loop, so an EPIPE from this write is seen before the next one.
    await nextTurn();
    this.check();
  }

  private drained(s: Stream): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        s.removeListener('drain', done);
        s.removeListener('error', done);
        s.removeListener('close', done);
        resolve();
      };
      s.on('drain', done);
      s.on('error', done);
      s.on('close', done);
    });
  }
}

/**
 * Writes one whole document to file descriptor `fd` (the process's stdout) without making Node's
 * stdout stream. Why (issue 12, 17c): making `process.stdout` loads Node's stream modules (and for a
 * pipe its socket code, `net`), 3-7 ms of CPU in a fresh process, for the one write of `count` or
 * `facets`. A reader gone away (EPIPE) is OutputClosed, as for the stream; anything else the write
 * cannot do at once (a non-blocking pipe or terminal given by the parent: EAGAIN) is handed, from
 * the first byte not written, to the stream `fallback` makes, which waits or reports as before.
 */
export function writeWholeSync(fd: number, text: string, fallback: () => Stream): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') throw new OutputClosed();
      fallback().write(bytes.subarray(done));
      return;
    }
  }
}

/** Writes a command's whole output of one piece (count, facets, --json documents). */
export function writeWhole(io: CliIo, text: string): void {
  if (io.writeWhole) io.writeWhole(text);
  else io.stdout.write(text);
}
