// Lay seats filled over time as a step chart, against the minimum (and
// maximum), with the below-minimum intervals shaded and patterned.
import { svg } from '../lib/dom.js';
import { longDate } from '../lib/format.js';
import { asOfMarker, axis, timeScale } from './time-axis.js';

/** points: [{ at, value }] in time order (the value holds until the next point). */
export function stepChart({ points, min, max, below, period, title, asOf = null }) {
  const width = 900;
  const height = 150;
  const left = 40;
  const top = 10;
  const bottom = height - 26;
  const x = timeScale(period.start, period.end, left, width - 10);
  const highest = Math.max(1, max ?? 0, min ?? 0, ...points.map((p) => p.value));
  const y = (v) => bottom - (v / highest) * (bottom - top);
  let d = '';
  points.forEach((p, i) => {
    const px = x(p.at);
    d += i === 0 ? `M${px},${y(p.value)}` : `H${px}V${y(p.value)}`;
  });
  if (points.length) d += `H${x(period.end)}`;
  const gridValues = [...new Set([0, min, max, highest].filter((v) => Number.isFinite(v)))];
  return svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': title,
      class: 'step',
    },
    below.map((b) =>
      svg('rect', {
        x: x(b.from),
        y: top,
        width: Math.max(2, x(b.until ?? period.end) - x(b.from)),
        height: bottom - top,
        class: 'below-band',
        fill: 'url(#p-below)',
      }),
    ),
    gridValues.map((v) =>
      svg(
        'text',
        { x: left - 6, y: y(v) + 4, class: 'value-label', 'text-anchor': 'end' },
        String(v),
      ),
    ),
    min > 0
      ? svg('line', { x1: left, x2: width - 10, y1: y(min), y2: y(min), class: 'minimum' })
      : null,
    max !== null && max !== undefined && max !== min
      ? svg('line', { x1: left, x2: width - 10, y1: y(max), y2: y(max), class: 'maximum' })
      : null,
    axis(x, bottom, bottom - top),
    svg('path', { d, class: 'filled-line' }),
    asOfMarker(x, asOf, top, bottom),
    svg(
      'title',
      {},
      `${title}. Below minimum: ${below.map((b) => `${longDate(b.from)} to ${b.until ? longDate(b.until) : 'now'}`).join('; ') || 'never'}`,
    ),
  );
}
