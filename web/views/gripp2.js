// GRIPP2: the reporting checklist for patient and public involvement, as the
// ledger fills it for the programme at the page's point in time — the long
// form's items by section (figures with the report query behind each, the
// rest left to the evaluator), the short form's five items, the read position
// and the signed digest the figures were computed against; and the Markdown
// and HTML exports, fetched with the reader's key and saved from the browser.
import { $, el, table } from '../lib/dom.js';
import { instant } from '../lib/format.js';

export const EVALUATOR_NOTE = 'Not recorded in the ledger — to be written by the evaluator';

const pounds = (pence) =>
  `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A figure's value and unit in words, its number first (as the exports print it). */
export function figureValue(figure) {
  if (figure.unit === 'date') return figure.at ? instant(figure.at) : '—';
  if (figure.value === null) return '—';
  switch (figure.unit) {
    case 'pence':
      return `${figure.value} pence (${pounds(figure.value)})`;
    case 'hours':
      return `${figure.value} hours`;
    case 'days':
      return `${figure.value} days`;
    case 'share':
      return `${figure.value} (${Math.round(figure.value * 1000) / 10}%)`;
    default:
      return String(figure.value);
  }
}

const label = (figure) =>
  figure.unit !== 'date' && figure.at ? `${figure.label} (${instant(figure.at)})` : figure.label;

const breakdown = (figure) =>
  figure.breakdown
    ? Object.entries(figure.breakdown)
        .map(([key, n]) => `${key}: ${n}`)
        .join('; ')
    : '';

function item(entry) {
  const fromLedger = entry.source === 'ledger';
  return el(
    'article',
    { class: `gripp2-item ${entry.source}`, 'data-item': entry.id, 'data-source': entry.source },
    el('h4', {}, `${entry.id} ${entry.topic}`),
    el('p', { class: 'asks' }, entry.asks),
    fromLedger
      ? el('p', { class: 'source' }, el('span', { class: 'badge' }, 'Filled from the ledger'))
      : el('p', { class: 'source evaluator-note' }, `${EVALUATOR_NOTE}.`),
    fromLedger ? el('p', { class: 'hint' }, entry.basis) : '',
    entry.figures.length
      ? table(
          `Figures for item ${entry.id}`,
          ['Figure', 'Value', 'Breakdown', 'Answered by'],
          entry.figures.map((figure) => [
            label(figure),
            figureValue(figure),
            breakdown(figure),
            el('code', {}, `GET ${figure.query}`),
          ]),
          { class: 'gripp2-figures' },
        )
      : '',
  );
}

/** The long form's items under their sections, in the checklist's order. */
function longForm(items) {
  const sections = [];
  for (const entry of items) {
    const last = sections.at(-1);
    if (last?.title === entry.section) last.items.push(entry);
    else sections.push({ title: entry.section, items: [entry] });
  }
  return sections.map((section) =>
    el(
      'section',
      { class: 'gripp2-section' },
      el('h3', {}, section.title),
      section.items.map(item),
    ),
  );
}

function shortForm(items) {
  return table(
    'The short form’s five items, and the long-form items that hold their material',
    ['Item', 'Topic', 'Long-form items', 'From the ledger'],
    items.map((entry) => [
      `${entry.id}`,
      entry.topic,
      entry.longForm.join(', '),
      entry.fromLedger.length ? entry.fromLedger.join(', ') : EVALUATOR_NOTE.toLowerCase(),
    ]),
    { class: 'gripp2-short' },
  );
}

function readAndDigest(report) {
  const { digest } = report;
  const when = `as of ${instant(report.asOf)}${report.knownAt ? `, as the record stood on ${instant(report.knownAt)}` : ''}`;
  return [
    el(
      'p',
      { class: 'summary' },
      `${report.programmeName ?? report.programmeId ?? 'The ledger'}, ${when}: computed at read position ${report.readPosition ?? 'none (nothing recorded)'}.`,
    ),
    el(
      'dl',
      { class: 'gripp2-digest' },
      el('dt', {}, 'Signed digest'),
      el(
        'dd',
        {},
        `Head position ${digest.position ?? 'none'} (${digest.count} events), hash `,
        el('code', { title: digest.hash }, `${digest.hash.slice(0, 16)}…`),
        `, sealed ${instant(digest.sealedAt)}`,
      ),
      el('dt', {}, 'Verify'),
      el('dd', {}, el('code', {}, `GET ${digest.verifyQuery}`)),
    ),
  ];
}

export async function renderGripp2({ ticket, api, timeParams }) {
  const current = ticket('gripp2');
  const report = await api('/v1/reports/gripp2', timeParams());
  if (!current()) return;
  $('gripp2').replaceChildren(
    ...readAndDigest(report),
    el('h3', {}, 'Short form (GRIPP2-SF)'),
    shortForm(report.shortForm),
    el('h3', {}, 'Long form'),
    el(
      'p',
      { class: 'hint' },
      'Items the ledger holds the facts for carry figures, each with the report query that answers it; the rest are left to the evaluator.',
    ),
    ...longForm(report.longForm),
  );
}

/** Saves a file through an object URL and a download link, then lets both go. */
function save(blob, name) {
  const href = URL.createObjectURL(blob);
  const link = el('a', { href, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Released once the browser has surely taken the file (a minute is ample).
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** The Download buttons: each fetches its export with the reader's key and saves it. */
export function gripp2Downloads({ apiFile, timeParams }) {
  for (const [id, format] of [
    ['gripp2-markdown', 'md'],
    ['gripp2-html', 'html'],
  ]) {
    $(id).addEventListener('click', async (event) => {
      const button = event.currentTarget;
      button.setAttribute('aria-busy', 'true');
      $('gripp2-status').textContent = '';
      try {
        const { blob, name } = await apiFile(`/v1/reports/gripp2.${format}`, timeParams());
        save(blob, name ?? `gripp2.${format}`);
        $('gripp2-status').textContent = `Saved ${name ?? `gripp2.${format}`}.`;
      } catch (error) {
        $('gripp2-status').textContent = `The report could not be downloaded: ${error.message}`;
      } finally {
        button.removeAttribute('aria-busy');
      }
    });
  }
}
