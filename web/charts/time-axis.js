// A time axis over the programme's own period: quarter ticks, year labels.
import { svg } from '../lib/dom.js';

/** Maps an instant (ISO or ms) to x between `left` and `right`. */
export function timeScale(start, end, left, right) {
  const from = Date.parse(start);
  const to = Date.parse(end);
  const x = (at) => {
    const t = typeof at === 'number' ? at : Date.parse(at);
    return left + ((Math.min(Math.max(t, from), to) - from) / (to - from || 1)) * (right - left);
  };
  x.from = from;
  x.to = to;
  return x;
}

/** The first day of every quarter within [start, end]. */
export function quarters(start, end) {
  const first = new Date(start).getTime();
  const last = new Date(end).getTime();
  if (!Number.isFinite(first) || !Number.isFinite(last)) return [];
  const from = new Date(first);
  const out = [];
  let year = from.getUTCFullYear();
  let month = Math.floor(from.getUTCMonth() / 3) * 3;
  for (;;) {
    const t = Date.UTC(year, month, 1);
    if (t > last) break;
    if (t >= first) out.push(t);
    month += 3;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return out;
}

/** Ticks and labels along y: "Q2" on quarters, the year on each January. */
export function axis(x, y, height) {
  return svg(
    'g',
    { class: 'axis', 'aria-hidden': 'true' },
    quarters(x.from, x.to).map((t) => {
      const date = new Date(t);
      const january = date.getUTCMonth() === 0;
      return svg(
        'g',
        {},
        svg('line', {
          x1: x(t),
          x2: x(t),
          y1: y - height,
          y2: y + 4,
          class: january ? 'tick year' : 'tick',
        }),
        svg(
          'text',
          { x: x(t) + 2, y: y + 16, class: january ? 'tick-label year' : 'tick-label' },
          january ? String(date.getUTCFullYear()) : `Q${date.getUTCMonth() / 3 + 1}`,
        ),
      );
    }),
  );
}

/** A dashed line at the date the page is showing (nothing when it shows today, past the period). */
export function asOfMarker(x, asOf, top, bottom) {
  if (!asOf || Date.parse(asOf) > x.to) return null;
  return svg(
    'g',
    { class: 'as-of-marker', 'aria-hidden': 'true' },
    svg('line', { x1: x(asOf), x2: x(asOf), y1: top, y2: bottom, class: 'as-of-line' }),
    svg('text', { x: x(asOf) + 3, y: top + 10, class: 'as-of-text' }, 'as of'),
  );
}
