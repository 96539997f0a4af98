/** A labelled time-zone picker: the display zone in the status bar, the zone of zone-less files on import. */
import { useMemo } from 'react';
import { describeZone, LOCAL_ZONE, machineZone, zoneChoices } from '../../../common/time-zone';

export function ZoneSelect({
  label,
  value,
  onChange,
  offerLocal,
  testId,
}: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (zone: string) => void;
  /** Offer "local" (follows the machine) as its own choice: the display setting, not the import one. */
  readonly offerLocal: boolean;
  readonly testId?: string;
}): React.JSX.Element {
  // Labels carry today's offset; computing ~400 of them is worth doing once.
  const zones = useMemo(
    () => zoneChoices().map((z) => [z, z === 'UTC' ? 'UTC' : describeZone(z)] as const),
    [],
  );
  return (
    <label className="zone-picker" data-testid={testId}>
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {offerLocal && <option value={LOCAL_ZONE}>Local: {describeZone(machineZone())}</option>}
        {zones.map(([z, text]) => (
          <option key={z} value={z}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
