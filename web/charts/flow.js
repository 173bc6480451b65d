// A flow between stages (heard → responded → decision → reported back): each
// stage a column of boxes sized by count on one scale, bands between them.
import { svg } from '../lib/dom.js';

/**
 * columns: [{ title, nodes: [{ key, label, count }] }];
 * links: [{ from: [column, key], to: [column, key], count }].
 */
export function flow({ columns, links, title }) {
  const width = 900;
  const nodeWidth = 16;
  const gap = 14;
  const top = 28;
  const total = Math.max(1, ...columns.map((c) => c.nodes.reduce((n, node) => n + node.count, 0)));
  const maxNodes = Math.max(...columns.map((c) => c.nodes.length));
  const height = 300 + maxNodes * gap;
  const scale = (height - top - 10 - maxNodes * gap) / total;
  const colX = (i) => 10 + (i * (width - 190)) / Math.max(1, columns.length - 1);
  const place = new Map();
  columns.forEach((column, i) => {
    let y = top;
    for (const node of column.nodes) {
      const h = Math.max(2, node.count * scale);
      place.set(`${i}:${node.key}`, { x: colX(i), y, h, out: y, in: y, node });
      y += h + gap;
    }
  });
  const bands = links
    .filter((l) => l.count > 0)
    .map((link) => {
      const a = place.get(`${link.from[0]}:${link.from[1]}`);
      const b = place.get(`${link.to[0]}:${link.to[1]}`);
      const h = link.count * scale;
      const x1 = a.x + nodeWidth;
      const x2 = b.x;
      const mid = (x1 + x2) / 2;
      const d = `M${x1},${a.out} C${mid},${a.out} ${mid},${b.in} ${x2},${b.in} V${b.in + h} C${mid},${b.in + h} ${mid},${a.out + h} ${x1},${a.out + h} Z`;
      a.out += h;
      b.in += h;
      return svg(
        'path',
        { d, class: `band to-${link.to[1]}` },
        svg('title', {}, `${a.node.label} → ${b.node.label}: ${link.count}`),
      );
    });
  return svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': title,
      class: 'flow',
    },
    columns.map((column, i) =>
      svg('text', { x: colX(i), y: 16, class: 'column-title' }, column.title),
    ),
    bands,
    [...place.values()].map((p) =>
      svg(
        'g',
        {},
        svg('rect', {
          x: p.x,
          y: p.y,
          width: nodeWidth,
          height: p.h,
          class: `node node-${p.node.key}`,
        }),
        svg(
          'text',
          { x: p.x + nodeWidth + 4, y: p.y + Math.min(p.h / 2 + 5, p.h + 12), class: 'node-label' },
          `${p.node.label} ${p.node.count}`,
        ),
      ),
    ),
  );
}
