import type { ErrorCode, ErrorShape } from '../../common/contract';

/** An error a person can act on; crosses worker and IPC boundaries as {code, message, details}. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'EngineError';
  }

  toShape(): ErrorShape {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }

  static from(shape: ErrorShape): EngineError {
    return new EngineError(shape.code, shape.message, shape.details);
  }
}

/** Any thrown value as an ErrorShape; unknown errors become INTERNAL without leaking stack traces. */
export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof EngineError) return err.toShape();
  if (err instanceof Error && err.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}
