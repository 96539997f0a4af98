/**
 * A sheet's rows sent as cell text and built into batches on the importing thread (cell-batches.ts,
 * 15f) give exactly the batches the worker built itself before: the same stored text, numbers,
 * specials, rejects (with sheet and row), zone flag and undocumented enum values, for any rows
 * (FIELD_SEP, NUL, tabs, bad times and numbers, too many or too few cells), any batch size, and
 * sheets in turn, through a structured clone as postMessage copies it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { COLUMN_IDS } from '../../common/columns';
import type { Batch } from '../../main/engine/import/feed';
import { FIELD_SEP, RowBuilder } from '../../main/engine/import/rows';
import { CellBatcher, CellRows } from '../../main/engine/xlsx/cell-batches';
import type { XlsxSheetPlan } from '../../main/engine/xlsx/plan';

const CANONICAL: XlsxSheetPlan = {
  name: 'Deliveries',
  part: 'xl/worksheets/sheet1.xml',
  headerRow: 1,
  columns: [...COLUMN_IDS],
  headers: COLUMN_IDS.map((c) => c.toUpperCase()),
  zone: null,
};
// Another layout: columns moved, one unknown (its values go to `extra`), a stated zone.
const MOVED: XlsxSheetPlan = {
  name: 'Other',
  part: 'xl/worksheets/sheet2.xml',
  headerRow: 3,
  columns: [null, ...[...COLUMN_IDS].reverse()],
  headers: ['Note', ...[...COLUMN_IDS].reverse()],
  zone: 'Europe/Berlin',
};

const VALUES = [
  '',
  '2026-10-01 12:00:00',
  '2026-10-01 12:00:00.250',
  '2026-10-01T12:00:00Z',
  'yesterday',
  'OK',
  'ERROR',
  'WEIRD_STATUS',
  '550 5.1.1 <a@b.de> user unknown',
  ' 12 ',
  '007',
  '12',
  'abc',
  `a${FIELD_SEP}b`,
  'nul\u0000here',
  'tab\there',
  'jane@web.de',
];

/** The worker's own path before 15f: RowBuilder in the worker, flushed every `batch` rows. */
function direct(
  sheets: readonly XlsxSheetPlan[],
  rows: readonly (readonly [number, string[]])[][],
  batch: number,
): Batch[] {
  const out: Batch[] = [];
  sheets.forEach((sheet, s) => {
    const builder = new RowBuilder(sheet.columns, sheet.headers);
    const flush = (): void => {
      const { values, nums, rows: n, rejected, specials } = builder.take();
      out.push({
        type: 'batch',
        data: values.join(FIELD_SEP),
        nums,
        rows: n,
        specials,
        rejected: rejected.map((r) => ({
          ...r,
          reason: `sheet "${sheet.name}", row ${r.line}: ${r.reason}`,
        })),
        bytesRead: 0,
        zoneless: builder.zoneless && sheet.zone === null,
      });
    };
    for (const [line, cells] of rows[s]) {
      const raw = cells.join('\t');
      builder.add([...cells], line, raw, 0, raw.length, raw.includes(FIELD_SEP), raw.includes('\u0000'));
      if (builder.rows + builder.rejected.length >= batch) flush();
    }
    flush();
  });
  return out;
}

/** Rows, numbers, specials and rejects of all batches, and the last zone flag: what the store sees. */
function stored(batches: readonly Batch[]): unknown {
  return {
    data: batches.flatMap((b) => (b.data === '' ? [] : b.data.split(FIELD_SEP))),
    nums: batches.flatMap((b) => [...b.nums]),
    rows: batches.reduce((n, b) => n + b.rows, 0),
    specials: batches.flatMap((b, i) => b.specials.map((s) => [i, s.row, s.values])),
    rejected: batches.flatMap((b) => b.rejected),
    zoneless: batches.map((b) => b.zoneless),
  };
}

test('rows built on the importing thread equal the worker-built batches (property)', () => {
  const sheets = [CANONICAL, MOVED];
  // A valid row of the layout with a few cells replaced and its length varied: most rows are stored
  // (enum folding, keys, numbers), some rejected.
  const rowArb = (sheet: XlsxSheetPlan): fc.Arbitrary<string[]> => {
    const base: string[] = sheet.columns.map((c) => (c === 'creation_time' ? '2026-10-01 12:00:00' : ''));
    return fc
      .tuple(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.constantFrom(...VALUES)), { maxLength: 4 }),
        fc.constantFrom(-1, 0, 0, 0, 0, 1),
      )
      .map(([edits, extra]) => {
        const row = [...base];
        for (const [i, v] of edits) row[i] = v;
        return extra < 0 ? row.slice(0, extra) : extra > 0 ? [...row, 'x'] : row;
      });
  };
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(2_000_000), rowArb(CANONICAL)), { maxLength: 30 }),
      fc.array(fc.tuple(fc.nat(2_000_000), rowArb(MOVED)), { maxLength: 30 }),
      fc.integer({ min: 1, max: 8 }),
      (a, b, batch) => {
        const rows = [a, b];
        const expected = direct(sheets, rows, batch);
        const cells = new CellRows(sheets);
        const got: Batch[] = [];
        sheets.forEach((_, s) => {
          const batcher = new CellBatcher();
          const send = (): void => {
            got.push(cells.batch(structuredClone(batcher.take(s, 0))));
          };
          for (const [line, row] of rows[s]) {
            batcher.add(line, [...row]);
            if (batcher.rows >= batch) send();
          }
          send();
        });
        assert.deepEqual(stored(got), stored(expected));
        const reference = sheets.map((sheet, s) => {
          const builder = new RowBuilder(sheet.columns, sheet.headers);
          for (const [line, row] of rows[s]) {
            const raw = row.join('\t');
            builder.add([...row], line, raw, 0, raw.length, raw.includes(FIELD_SEP), raw.includes('\u0000'));
          }
          return builder.enums.result();
        });
        // The worker's merge before 15f: sheets in turn, counts added, listed values united (20 at most).
        const merged: Record<string, { rows: number; values: readonly string[] }> = {};
        for (const ref of reference)
          for (const [id, u] of Object.entries(ref)) {
            const prev = merged[id];
            merged[id] = prev
              ? { rows: prev.rows + u.rows, values: [...new Set([...prev.values, ...u.values])].slice(0, 20) }
              : u;
          }
        assert.deepEqual(cells.unknownValues(), merged);
      },
    ),
    { numRuns: 400 },
  );
});

test('a row whose cell holds the separator travels beside the batch string, the others in it', () => {
  const batcher = new CellBatcher();
  batcher.add(2, ['a', 'b']);
  batcher.add(3, [`x${FIELD_SEP}y`, '']);
  batcher.add(4, ['', 'c']);
  const msg = batcher.take(0, 10);
  assert.equal(msg.data, ['a', 'b', '', 'c'].join(FIELD_SEP));
  assert.deepEqual([...msg.widths], [2, -1, 2]);
  assert.deepEqual([...msg.lines], [2, 3, 4]);
  assert.deepEqual(msg.specials, [{ at: 1, cells: [`x${FIELD_SEP}y`, ''] }]);
  assert.equal(batcher.take(0, 10).data, '');
});
