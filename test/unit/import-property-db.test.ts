/**
 * Property, end to end: random exports imported through the parse worker (random read sizes) into
 * SQLite, then exported again with the formula guard off. Every generated record is imported, a
 * duplicate or rejected on its exact line; the export of the imported rows gives back each field
 * byte for byte. Fewer runs than the pipeline property (each is a real import); LOSSLESS_DB_RUNS for more.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { COLUMN_IDS } from '../../common/columns';
import { runExport } from '../../main/engine/export/exporter';
import { CsvParser } from '../../main/engine/import/csv';
import { listRejected } from '../../main/engine/import/history';
import { importFiles, workspace } from './import-fixture';
import { genRow, serialise, type Delim } from './lossless-gen';

const RUNS = Number(process.env.LOSSLESS_DB_RUNS ?? 12);
const SEED = Number(process.env.LOSSLESS_SEED ?? 20261130);

function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  const p = new CsvParser(',', {
    record: (f) => out.push(f),
    bad: (line, reason) => assert.fail(`${line}: ${reason}`),
  });
  p.push(text);
  p.end();
  return out;
}

test('property: import then export gives back every accepted record exactly, lines and counts exact', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(genRow, { minLength: 1, maxLength: 30 }),
      fc.constantFrom<Delim>(',', ';', '\t', '|'),
      fc.boolean(),
      fc.integer({ min: 64, max: 150_000 }),
      async (rows, delim, openQuoteAtEnd, chunkBytes) => {
        const exp = serialise(rows, delim, { finalEol: true, openQuoteAtEnd });
        if (exp.good.length === 0) return;
        const w = workspace();
        try {
          const file = path.join(w.dir, 'in.csv');
          writeFileSync(file, exp.text);
          const f = (await importFiles(w.db, [file], { delimiter: delim, chunkBytes })).files[0];
          assert.equal(f.error, undefined, f.error);
          const dups = exp.good.filter((g) => g.duplicate).length;
          assert.deepEqual(
            [f.imported, f.duplicates, f.rejected],
            [exp.good.length - dups, dups, exp.bad.length],
          );
          const rejected = listRejected(w.db, f.importId!, 0, 1000).rows.map((r) => r.line);
          assert.deepEqual(
            rejected,
            exp.bad.map((b) => b.line),
          );
          const lines = (
            w.db.prepare('SELECT line FROM records ORDER BY id').all() as { line: number }[]
          ).map((r) => r.line);
          const unique = exp.good.filter((g) => !g.duplicate);
          assert.deepEqual(
            lines,
            unique.map((g) => g.line),
          );
          const out = path.join(w.dir, 'out.csv');
          await runExport(
            w.db,
            { jobId: 'x', path: out, filter: {}, sort: [], delimiter: ',', bom: false, formulaGuard: false },
            { signal: new AbortController().signal, onProgress: () => undefined },
          );
          const back = parseCsv(readFileSync(out, 'utf8')).slice(1);
          assert.equal(back.length, unique.length);
          back.forEach((fields, i) =>
            COLUMN_IDS.forEach((id, c) => assert.equal(fields[c], unique[i].fields[c], `record ${i} ${id}`)),
          );
        } finally {
          w.cleanup();
        }
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
});
