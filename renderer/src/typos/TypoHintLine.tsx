/** "Did they mean …?" under a hard-bounced or invalid recipient, with a button that looks the suggestion up. */
import { useEffect, useState } from 'react';
import type { RecordRow } from '../../../common/contract';
import type { TypoHint } from '../../../common/insights';
import { searchValue } from '../filter';
import { call } from '../ipc';
import '../insights/insights.css';

const CHECKED = new Set(['HARD_BOUNCE', 'INVALID_ADDRESS']);

export function TypoHintLine({
  record,
  onSearch,
}: {
  readonly record: RecordRow | undefined;
  readonly onSearch: (q: string) => void;
}): React.JSX.Element | null {
  const [hint, setHint] = useState<TypoHint | null>(null);
  const address = typeof record?.message_to === 'string' ? record.message_to : null;
  const eligible = address !== null && CHECKED.has(String(record?.status_details));
  useEffect(() => {
    setHint(null);
    if (!eligible || address === null) return undefined;
    let live = true;
    call('insights:suggest', { addresses: [address] }).then(
      ([h]) => live && setHint(h ?? null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [address, eligible]);
  if (!hint) return null;
  return (
    <p className="typo-hint" data-testid="typo-hint" title={hint.reason}>
      Likely typo — did they mean <strong>{hint.suggestion}</strong>?
      <button type="button" onClick={() => onSearch(`to:${searchValue(hint.suggestion)}`)}>
        Look it up
      </button>
      <br />
      <span className="muted small">{hint.reason}</span>
    </p>
  );
}
