/**
 * The parse workers' side of the batch protocol (CSV and Excel alike): post a batch, and wait while
 * MAX_IN_FLIGHT batches are unacknowledged, so memory stays flat however fast the worker parses
 * and however slowly the importing thread inserts.
 */
import type { MessagePort } from 'node:worker_threads';
import type { FromParser } from './feed-protocol';

// Enough queued batches (8 x 96 KiB of text) that neither thread waits for the other's next step.
const MAX_IN_FLIGHT = 8;

export class BatchSender {
  private acked = 0;
  private sent = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly port: MessagePort) {
    port.on('message', () => {
      this.acked++;
      this.wake?.();
    });
  }

  /** Posts a batch (its number buffers transferred) and resolves once the queue has room again. */
  async send(msg: Extract<FromParser, { type: 'batch' | 'cells' }>): Promise<void> {
    this.port.postMessage(
      msg,
      msg.type === 'batch' ? [msg.nums.buffer] : [msg.lines.buffer, msg.widths.buffer],
    );
    this.sent++;
    while (this.sent - this.acked >= MAX_IN_FLIGHT)
      await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
  }
}
