// Tenures as a Gantt chart: one row per seat or co-chair term, bars coloured
// by constituency and patterned too (never colour alone), each bar focusable.
import { el, svg } from '../lib/dom.js';
import { longDate, words } from '../lib/format.js';
import { asOfMarker, axis, timeScale } from './time-axis.js';

const KNOWN = ['lay', 'ccg', 'local-authority', 'provider'];
/** The style class of a constituency: its colour and its pattern. */
export const constituencyClass = (c) => `c-${KNOWN.includes(c) ? c : 'other'}`;

/**
 * rows: [{ label, constituency, terms: [{ from, to, who, endReason }] }];
 * period: { start, end }; onFocus(text) tells the page which bar is in focus.
 */
export function gantt({ rows, period, title, below = [], asOf = null, onFocus }) {
  const labelWidth = 190;
  const width = 900;
  const rowHeight = 26;
  const top = below.length ? 34 : 10;
  const height = top + rows.length * rowHeight + 30;
  const x = timeScale(period.start, period.end, labelWidth, width - 10);
  const bars = [];
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    bars.push(
      svg(
        'text',
        { x: 4, y: y + 17, class: 'row-label' },
        row.label.length > 28 ? `${row.label.slice(0, 27)}…` : row.label,
        svg('title', {}, row.label),
      ),
    );
    for (const term of row.terms) {
      const x1 = x(term.from);
      const x2 = x(term.to ?? period.end);
      const text = `${term.who}, ${words(row.constituency)}${row.role === 'co-chair' ? ' co-chair' : ''}: from ${longDate(term.from)}${
        term.to
          ? ` until ${longDate(term.to)}${term.endReason ? ` (${words(term.endReason)})` : ''}`
          : ', still seated'
      }`;
      const cls = constituencyClass(row.constituency);
      const bar = svg(
        'g',
        {
          class: `bar ${cls}${row.role === 'co-chair' ? ' co-chair' : ''}`,
          tabindex: 0,
          role: 'img',
          'aria-label': text,
          'data-who': term.who,
        },
        svg('title', {}, text),
        svg('rect', { x: x1, y: y + 3, width: Math.max(2, x2 - x1), height: rowHeight - 6 }),
        svg('rect', {
          x: x1,
          y: y + 3,
          width: Math.max(2, x2 - x1),
          height: rowHeight - 6,
          class: 'pattern',
          fill: `url(#p-${cls.slice(2)})`,
        }),
        x2 - x1 > 90 ? svg('text', { x: x1 + 4, y: y + 17, class: 'bar-label' }, term.who) : null,
      );
      bar.addEventListener('focus', () => onFocus?.(text));
      bar.addEventListener('mouseenter', () => onFocus?.(text));
      bars.push(bar);
    }
  });
  const bands = below.map((b) =>
    svg(
      'rect',
      {
        x: x(b.from),
        y: 4,
        width: Math.max(2, x(b.until ?? period.end) - x(b.from)),
        height: 18,
        class: 'below-band',
        fill: 'url(#p-below)',
      },
      svg(
        'title',
        {},
        `Lay seats below minimum from ${longDate(b.from)} until ${b.until ? longDate(b.until) : 'now'}`,
      ),
    ),
  );
  return svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      class: 'gantt',
      role: 'group',
      'aria-label': title,
    },
    below.length
      ? svg('text', { x: 4, y: 18, class: 'row-label below-text' }, 'Below lay minimum')
      : null,
    bands,
    axis(x, top + rows.length * rowHeight, rows.length * rowHeight + top),
    bars,
    asOfMarker(x, asOf, 0, top + rows.length * rowHeight),
  );
}

/** The colour-and-pattern key, in words. */
export function legend(constituencies) {
  return el(
    'ul',
    { class: 'key' },
    constituencies.map((c) =>
      el(
        'li',
        {},
        svg(
          'svg',
          { width: 28, height: 14, 'aria-hidden': 'true', class: constituencyClass(c) },
          svg('rect', { width: 28, height: 14 }),
          svg('rect', {
            width: 28,
            height: 14,
            class: 'pattern',
            fill: `url(#p-${constituencyClass(c).slice(2)})`,
          }),
        ),
        ` ${words(c)}`,
      ),
    ),
  );
}
