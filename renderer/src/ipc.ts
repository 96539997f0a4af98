/**
 * The renderer's only way out: calls window.api, unwraps the envelope and throws ApiError with the
 * engine's code and details, so components handle failures as ordinary exceptions with a message a
 * person can act on.
 */
import type {
  ArgsOf,
  Channel,
  Envelope,
  ErrorCode,
  EventName,
  Events,
  ResultOf,
} from '../../common/contract';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
  const fn = window.api[channel] as (a: ArgsOf<C>) => Promise<Envelope<ResultOf<C>>>;
  let env: Envelope<ResultOf<C>>;
  try {
    env = await fn(args);
  } catch (err) {
    // The bridge itself failed (main gone, binding missing): not an engine answer.
    throw new ApiError('ENGINE_UNAVAILABLE', err instanceof Error ? err.message : String(err));
  }
  if (env.ok) return env.value;
  throw new ApiError(env.error.code, env.error.message, env.error.details ?? {});
}

export function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  return window.api.on(event, listener);
}

/** Message for any thrown value, for inline error text. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isCancelled(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'CANCELLED';
}

export function newJobId(): string {
  return crypto.randomUUID();
}
