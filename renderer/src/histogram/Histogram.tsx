/**
 * Matches over time, stacked by outcome, drawn as SVG. Dragging across it selects a time range that
 * filters everything (timeFrom inclusive, timeTo exclusive, snapped to bucket edges).
 */
import { memo, useEffect, useRef, useState } from 'react';
import type { Histogram as HistogramData, HistogramBucket } from '../../../common/contract';
import { formatCount, formatShortTime, formatTime } from '../format';

const HEIGHT = 84;
const AXIS = 16;
const OUTCOMES = ['delivered', 'bounced', 'dropped', 'other'] as const;

export interface HistogramProps {
  readonly data: HistogramData | null;
  readonly loading: boolean;
  readonly range: { readonly from?: number; readonly to?: number };
  readonly onRange: (from: number | undefined, to: number | undefined) => void;
  /** Drawn under the plot on the same time axis (incident marks). */
  readonly below?: (from: number | null, to: number | null) => React.ReactNode;
}

function total(b: HistogramBucket): number {
  return b.delivered + b.bounced + b.dropped + b.other;
}

// Memoised for the same reason as the facets panel: searches re-render the window.
export const Histogram = memo(function Histogram({
  data,
  loading,
  range,
  onRange,
  below,
}: HistogramProps): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const [hover, setHover] = useState<number | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const buckets = data?.buckets ?? [];
  const n = Math.max(1, buckets.length);
  const bw = width / n;
  const max = Math.max(1, ...buckets.map(total));
  const plotH = HEIGHT - AXIS;
  const indexAt = (x: number): number => Math.min(n - 1, Math.max(0, Math.floor(x / bw)));
  const localX = (e: React.PointerEvent): number =>
    e.clientX - (host.current?.getBoundingClientRect().left ?? 0);

  const finish = (): void => {
    if (!drag || !data || buckets.length === 0) return setDrag(null);
    const i0 = indexAt(Math.min(drag.a, drag.b));
    const i1 = indexAt(Math.max(drag.a, drag.b));
    setDrag(null);
    if (Math.abs(drag.a - drag.b) < 3) return; // a click, not a drag
    const from = buckets[i0]?.start;
    const last = buckets[i1];
    if (from == null || !last) return;
    onRange(from, last.end);
  };

  const hovered = hover != null ? buckets[hover] : undefined;
  const ticks = buckets.length > 1 ? [0, Math.floor(n / 2), n - 1] : [0];

  return (
    <div className={`histogram${loading ? ' is-loading' : ''}`} aria-label="Matches over time">
      <div className="histogram-head">
        <span className="legend">
          {OUTCOMES.map((o) => (
            <span key={o} className={`legend-item out-${o}`}>
              {o}
            </span>
          ))}
        </span>
        <span className="histogram-info muted">
          {hovered && data
            ? `${formatTime(hovered.start)} · ${formatCount(total(hovered))} (${formatCount(hovered.delivered)} delivered, ${formatCount(hovered.bounced)} bounced, ${formatCount(hovered.dropped)} dropped)`
            : 'Drag across the chart to filter a time range'}
        </span>
        {(range.from != null || range.to != null) && (
          <button type="button" className="link" onClick={() => onRange(undefined, undefined)}>
            Clear time range
          </button>
        )}
      </div>
      <div
        ref={host}
        className="histogram-plot"
        data-testid="histogram"
        data-from={range.from}
        data-to={range.to}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const x = localX(e);
          setDrag({ a: x, b: x });
        }}
        onPointerMove={(e) => {
          const x = localX(e);
          setHover(buckets.length ? indexAt(x) : null);
          if (drag) setDrag({ a: drag.a, b: x });
        }}
        onPointerUp={finish}
        onPointerLeave={() => setHover(null)}
      >
        <svg width={width} height={HEIGHT} role="img" aria-label="Histogram of matches by outcome">
          {buckets.map((b, i) => {
            let y = plotH;
            return (
              <g
                key={b.start}
                className={hover === i ? 'hovered' : undefined}
                data-start={b.start}
                data-end={b.end}
              >
                {OUTCOMES.map((o) => {
                  const h = (b[o] / max) * (plotH - 2);
                  y -= h;
                  return h > 0 ? (
                    <rect
                      key={o}
                      className={`out-${o}`}
                      x={i * bw + 0.5}
                      y={y}
                      width={Math.max(1, bw - 1)}
                      height={h}
                    />
                  ) : null;
                })}
              </g>
            );
          })}
          <line className="axis" x1={0} x2={width} y1={plotH + 0.5} y2={plotH + 0.5} />
          {buckets.length > 0 &&
            ticks.map((i, k) => {
              const b = buckets[i];
              if (!b) return null;
              const anchor = k === 0 ? 'start' : k === ticks.length - 1 ? 'end' : 'middle';
              const x = k === 0 ? 2 : k === ticks.length - 1 ? width - 2 : i * bw + bw / 2;
              return (
                <text key={i} className="tick" x={x} y={HEIGHT - 3} textAnchor={anchor}>
                  {formatShortTime(b.start)}
                </text>
              );
            })}
          {drag && (
            <rect
              className="brush"
              x={Math.min(drag.a, drag.b)}
              y={0}
              width={Math.abs(drag.a - drag.b)}
              height={plotH}
            />
          )}
          {!loading && data && buckets.length === 0 && (
            <text className="tick" x={width / 2} y={plotH / 2} textAnchor="middle">
              No matches to chart
            </text>
          )}
        </svg>
      </div>
      {below?.(data?.from ?? null, data?.to ?? null)}
    </div>
  );
});
