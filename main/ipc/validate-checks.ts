/**
 * The checks every IPC validator is built from (validate.ts, validate-insights.ts): each takes the raw
 * value and its path in the arguments, and either returns the value typed or throws INVALID_ARGUMENT
 * naming the path and the reason.
 */
import { isColumnId, type ColumnId } from '../../common/columns';
import { LIMITS } from '../../common/contract';
import { EngineError } from '../engine/errors';

export type Obj = Record<string, unknown>;

export function fail(path: string, reason: string): never {
  throw new EngineError('INVALID_ARGUMENT', `${path}: ${reason}`, { path });
}

export function obj(v: unknown, path: string, allowed: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(`${path}.${k}`, 'unexpected property');
  return v as Obj;
}

export function str(v: unknown, path: string, max: number, min = 0): string {
  if (typeof v !== 'string') fail(path, 'expected a string');
  if (v.length > max) fail(path, `longer than ${max} characters`);
  if (v.length < min) fail(path, min === 1 ? 'must not be empty' : `shorter than ${min} characters`);
  return v;
}

export function optStr(v: unknown, path: string, max: number): string | undefined {
  return v === undefined ? undefined : str(v, path, max);
}

export function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, 'expected a whole number');
  if (v < min || v > max) fail(path, `must be between ${min} and ${max}`);
  return v;
}

export function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'expected a finite number');
  return v;
}

export function optNum(v: unknown, path: string): number | undefined {
  return v === undefined ? undefined : num(v, path);
}

/** An IANA time zone name Intl knows (the .xlsx export states it in its header notes). */
export function timeZone(v: unknown, path: string): string {
  const s = str(v, path, 64, 1);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: s });
  } catch {
    fail(path, `unknown time zone "${s}"`);
  }
  return s;
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'expected true or false');
  return v;
}

export function arr(v: unknown, path: string, max: number): readonly unknown[] {
  if (!Array.isArray(v)) fail(path, 'expected an array');
  if (v.length > max) fail(path, `more than ${max} items`);
  return v;
}

export function column(v: unknown, path: string): ColumnId {
  if (!isColumnId(v)) fail(path, `unknown column ${JSON.stringify(v)}`);
  return v;
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    fail(path, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
  return v as T;
}

export function path_(v: unknown, p: string): string {
  const s = str(v, p, LIMITS.maxPathLength, 1);
  if (s.includes('\0')) fail(p, 'contains a NUL character');
  return s;
}
