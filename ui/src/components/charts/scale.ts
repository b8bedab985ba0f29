/** Shared pieces of the dashboard's hand-drawn SVG charts (no chart library: a few rects suffice). */

export interface Segment {
  key: string;
  label: string;
  value: number;
  colour: string;
}

export interface Column {
  key: string;
  /** Axis label (shown every `labelEvery` columns). */
  label: string;
  /** What hovering the column says, and what a screen reader reads. */
  title: string;
  segments: Segment[];
}

export interface BarRow {
  key: string;
  label: string;
  /** Makes the label a link into the page that explains the row. */
  href?: string;
  /** Hover text beyond the numbers (an example message, say). */
  note?: string;
  segments: Segment[];
}

export const total = (segments: readonly Segment[]): number => segments.reduce((n, s) => n + s.value, 0);

/**
 * A round axis top for counts: 1, 2 or 5 × 10ⁿ steps, at most `ticks` of them, never a fractional
 * step (half a scan is not a thing).
 */
export function niceScale(max: number, ticks = 4): { max: number; ticks: number[] } {
  if (!(max > 0)) return { max: ticks, ticks: Array.from({ length: ticks + 1 }, (_, i) => i) };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag);
  const top = Math.ceil(max / step) * step;
  return { max: top, ticks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step) };
}

/** "通过 12 · 重复 1": the non-zero parts of a stack, for titles and screen readers. */
export const describe = (segments: readonly Segment[]): string =>
  segments
    .filter((s) => s.value > 0)
    .map((s) => `${s.label} ${s.value}`)
    .join(' · ');
