// Horizontal bars on a scale given by the caller, so several charts can share
// one; labels sit above their bars, so long names never overlap the values.
import { svg } from '../lib/dom.js';

/** entries: [{ label, value, note }]; scaleMax: the value a full bar stands for. */
export function bars({ entries, scaleMax, title, className = '', centred = false }) {
  const width = 780;
  const barWidth = 440;
  const row = 44;
  const height = entries.length * row + 6;
  return svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': title,
      class: `bars ${className}`,
    },
    entries.map((e, i) => {
      const y = i * row;
      const w = scaleMax > 0 ? (barWidth * e.value) / scaleMax : 0;
      // Centred bars narrow stage by stage: a funnel.
      const x = centred ? (barWidth - w) / 2 : 0;
      return svg(
        'g',
        { class: 'bar-row' },
        svg('text', { x: 0, y: y + 14, class: 'bar-name' }, e.label),
        svg('rect', {
          x,
          y: y + 19,
          width: Math.max(w, e.value > 0 ? 2 : 0),
          height: 18,
          class: 'bar-fill',
        }),
        svg(
          'text',
          { x: x + w + 6, y: y + 33, class: 'bar-value' },
          `${e.value}${e.note ? ` ${e.note}` : ''}`,
        ),
      );
    }),
  );
}
