/** Typo hints for the batch lookup's lines that were not found or bounced hard. */
import { useEffect, useState } from 'react';
import type { LookupLine } from '../../../common/contract';
import type { TypoHint } from '../../../common/insights';
import { call } from '../ipc';

export function useTypoHints(lines: readonly LookupLine[] | null): ReadonlyMap<string, TypoHint> {
  const [hints, setHints] = useState<ReadonlyMap<string, TypoHint>>(new Map());
  useEffect(() => {
    setHints(new Map());
    const ask = (lines ?? [])
      .filter(
        (l) => l.found === 0 || l.latestDetails === 'HARD_BOUNCE' || l.latestDetails === 'INVALID_ADDRESS',
      )
      .map((l) => l.address);
    if (ask.length === 0) return undefined;
    let live = true;
    call('insights:suggest', { addresses: ask }).then(
      (res) => {
        if (!live) return;
        const m = new Map<string, TypoHint>();
        res.forEach((h, i) => {
          const a = ask[i];
          if (h && a !== undefined) m.set(a, h);
        });
        setHints(m);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [lines]);
  return hints;
}
