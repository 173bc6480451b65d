// Small DOM and SVG helpers shared by the views and charts.
export const $ = (id) => document.getElementById(id);

function fill(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.setAttribute('class', value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false || child === '') continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: el('p', {class: 'hint'}, 'text', child). */
export const el = (tag, attrs = {}, ...children) =>
  fill(document.createElement(tag), attrs, children);

const SVG = 'http://www.w3.org/2000/svg';
/** An SVG element, drawn inline (the CSP allows same-origin markup; no external files). */
export const svg = (tag, attrs = {}, ...children) =>
  fill(document.createElementNS(SVG, tag), attrs, children);

/** A table with a caption, column heads and rows of cells (strings or nodes). */
export function table(caption, heads, rows, attrs = {}) {
  return el(
    'table',
    attrs,
    el('caption', {}, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        heads.map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((cells) =>
        el(
          'tr',
          {},
          cells.map((cell, i) => (i === 0 ? el('th', { scope: 'row' }, cell) : el('td', {}, cell))),
        ),
      ),
    ),
  );
}

/** A chart's text alternative: its figures in a table, behind a disclosure. */
export const figures = (summary, content) =>
  el('details', { class: 'figures' }, el('summary', {}, summary), content);

/**
 * A chart in its own scrolling box, so a wide chart never widens the page. The
 * box takes keyboard focus (to scroll it) unless the chart's own parts do.
 */
export const chartBox = (label, chart, { focusable = true } = {}) =>
  el(
    'div',
    { class: 'chart-box', role: 'group', 'aria-label': label, tabindex: focusable ? 0 : null },
    chart,
  );
