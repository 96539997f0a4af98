/** Delivery-export fixtures for the browser scenarios, generated into a temp folder. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { COLUMNS } from '../../common/columns';
import { generateRows, toCsv } from '../../bench/generate';

export interface Fixture {
  readonly path: string;
  readonly rows: readonly string[][];
}

export function writeFixture(dir: string, name: string, rows: number, seed = 7): Fixture {
  const data = [...generateRows({ rows, seed, startMs: Date.UTC(2026, 9, 1), spanDays: 10 })];
  const file = path.join(dir, name);
  writeFileSync(file, toCsv(data));
  return { path: file, rows: data };
}

/** Rows every importer must reject, each for a reason a person can read. */
export const BAD_LINES = [
  // Creation Time is not a time.
  ['not-a-date', ...Array<string>(COLUMNS.length - 1).fill('x')].join(','),
  // Far too few fields.
  'only,three,fields',
];

/** A good export with bad rows mixed in; returns the good rows and the count of bad ones. */
export function writeFixtureWithBadRows(dir: string, name: string, rows: number): Fixture & { bad: number } {
  const data = [...generateRows({ rows, seed: 11, startMs: Date.UTC(2026, 9, 5), spanDays: 3 })];
  const lines = toCsv(data).trimEnd().split('\r\n');
  // Insert the bad lines after the header and in the middle, so line numbers are non-trivial.
  lines.splice(3, 0, BAD_LINES[0] ?? '');
  lines.splice(Math.floor(lines.length / 2), 0, BAD_LINES[1] ?? '');
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\r\n') + '\r\n');
  return { path: file, rows: data, bad: BAD_LINES.length };
}

/** Index of a column in the generated rows (export header order). */
export function col(id: (typeof COLUMNS)[number]['id']): number {
  return COLUMNS.findIndex((c) => c.id === id);
}
