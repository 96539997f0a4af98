/** A per-day trend in a few pixels: records per day, the bounced part in red. */
export function Sparkline({
  values,
  bad,
  label,
}: {
  readonly values: readonly number[];
  readonly bad: readonly number[];
  readonly label: string;
}): React.JSX.Element {
  const w = Math.max(40, Math.min(120, values.length * 4));
  const h = 18;
  const bw = w / Math.max(1, values.length);
  const max = Math.max(1, ...values);
  return (
    <svg className="spark" width={w} height={h} role="img" aria-label={label}>
      {values.map((v, i) => {
        const vh = (v / max) * h;
        const bh = ((bad[i] ?? 0) / max) * h;
        return (
          <g key={i}>
            {vh > 0 && <rect className="bar" x={i * bw} y={h - vh} width={Math.max(1, bw - 1)} height={vh} />}
            {bh > 0 && <rect className="bad" x={i * bw} y={h - bh} width={Math.max(1, bw - 1)} height={bh} />}
          </g>
        );
      })}
    </svg>
  );
}
