import type { Gripp2Figure, Gripp2Item, Gripp2Report } from './gripp2.js';

/** The signed ledger digest a report was computed against (as `GET /v1/audit/digest` answers it). */
export interface Gripp2Digest {
  format: string;
  keyId: string;
  position: number | null;
  count: number;
  hash: string;
  recordedAt: string | null;
  sealedAt: string;
  signature: string;
  publicKey: string;
  /** `GET /v1/audit/verify?digest=…`: checks the log up to the digest against its signature. */
  verifyQuery: string;
}

/** The report as answered: the time point and read position it was computed at, and the digest. */
export interface Gripp2Document extends Gripp2Report {
  asOf: string;
  knownAt: string;
  /** The `$all` position the read models had applied when the figures were computed. */
  readPosition: number | null;
  digest: Gripp2Digest;
}

/** Positions printed in the Markdown and HTML; the JSON lists them all. */
const SHOWN_POSITIONS = 12;

const pounds = (pence: number) =>
  `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A figure's value as the exports print it: the number itself first, then what it means. */
export function gripp2Value(figure: Gripp2Figure): string {
  if (figure.unit === 'date') return figure.at ?? '—';
  if (figure.value === null) return '—';
  switch (figure.unit) {
    case 'pence':
      return `${figure.value} pence (${pounds(figure.value)})`;
    case 'hours':
      return `${figure.value} h`;
    case 'days':
      return `${figure.value} days`;
    case 'share':
      return `${figure.value} (${Math.round(figure.value * 1000) / 10} %)`;
    case 'count':
      return String(figure.value);
  }
}

/** The label, with the date of a dated stage whose value is a number. */
const labelText = (figure: Gripp2Figure) =>
  figure.unit !== 'date' && figure.at ? `${figure.label} (${figure.at})` : figure.label;

const breakdownText = (figure: Gripp2Figure) =>
  figure.breakdown
    ? Object.entries(figure.breakdown)
        .map(([key, n]) => `${key}: ${n}`)
        .join('; ')
    : '';

const positionsText = (figure: Gripp2Figure) => {
  const list = figure.evidence.positions;
  if (list === null) return 'positions: see the query';
  if (list.length === 0) return 'no events';
  const shown = list.slice(0, SHOWN_POSITIONS).join(', ');
  return list.length > SHOWN_POSITIONS
    ? `positions ${shown}, … (${list.length} in all)`
    : `positions ${shown}`;
};

const heading = (doc: Gripp2Document) =>
  `GRIPP2 report — ${doc.programmeName ?? 'the ledger'}${doc.programmeId ? ` (${doc.programmeId})` : ''}`;

const sections = (items: Gripp2Item[]) => {
  const out = new Map<string, Gripp2Item[]>();
  for (const item of items) out.set(item.section, [...(out.get(item.section) ?? []), item]);
  return [...out.entries()];
};

const period = (doc: Gripp2Document) =>
  doc.from === null && doc.to === null
    ? 'the whole record'
    : `${doc.from ?? 'the start'} to ${doc.to ?? doc.asOf}`;

/** A Markdown table cell: pipes escaped, one line, and no raw HTML from recorded text. */
const md = (text: string) =>
  text.replaceAll('|', '\\|').replaceAll('\n', ' ').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The report as Markdown, to paste into an evaluation report. */
export function gripp2Markdown(doc: Gripp2Document): string {
  const lines: string[] = [
    `# ${heading(doc)}`,
    '',
    `Generated from the Engagement Ledger: as of ${doc.asOf}, as known at ${doc.knownAt}, at read position ${doc.readPosition ?? '—'}; period: ${period(doc)}. GRIPP2: Staniszewska et al., BMJ 2017;358:j3453 (item wording shortened).`,
    '',
    `Computed against the signed ledger digest at position ${doc.digest.position ?? '—'} (${doc.digest.count} events), hash \`${doc.digest.hash}\`, signature \`${doc.digest.signature}\` (key ${doc.digest.keyId}, sealed ${doc.digest.sealedAt}). Verify: \`GET ${doc.digest.verifyQuery}\`.`,
    '',
    '## Short form (GRIPP2-SF)',
    '',
    '| Item | Topic | Long-form items | From the ledger |',
    '| --- | --- | --- | --- |',
    ...doc.shortForm.map(
      (item) =>
        `| ${item.id} | ${md(item.topic)} | ${item.longForm.join(', ')} | ${item.fromLedger.length > 0 ? item.fromLedger.join(', ') : 'to be written by the evaluator'} |`,
    ),
    '',
    '## Long form (GRIPP2-LF)',
  ];
  for (const [section, items] of sections(doc.longForm)) {
    lines.push('', `### ${section}`);
    for (const item of items) {
      lines.push('', `#### ${item.id} ${item.topic}`, '', `_${item.asks}_`, '');
      if (item.source === 'evaluator') {
        lines.push(`> ${item.basis}`);
        continue;
      }
      lines.push(md(item.basis), '');
      lines.push('| Figure | Value | Breakdown | Evidence |', '| --- | --- | --- | --- |');
      for (const figure of item.figures)
        lines.push(
          `| ${md(labelText(figure))} | ${md(gripp2Value(figure))} | ${md(breakdownText(figure))} | [report](${figure.query}) · [audit events](${figure.evidence.auditQuery}) · ${positionsText(figure)} |`,
        );
    }
  }
  return `${lines.join('\n')}\n`;
}

const esc = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const STYLE = `body{font-family:system-ui,sans-serif;max-width:70rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a;background:#fff;line-height:1.45}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #767676;padding:.3rem .5rem;text-align:left;vertical-align:top}
code{word-break:break-all}a{color:#0645ad}.evaluator{border-left:4px solid #767676;padding-left:.75rem;font-style:italic}`;

/** The report as a standalone HTML page (no scripts, no outside resources). */
export function gripp2Html(doc: Gripp2Document): string {
  const title = heading(doc);
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${esc(title)}</h1>`,
    `<p>Generated from the Engagement Ledger: as of <time>${esc(doc.asOf)}</time>, as known at <time>${esc(doc.knownAt)}</time>, at read position <span data-read-position>${doc.readPosition ?? '—'}</span>; period: ${esc(period(doc))}. GRIPP2: Staniszewska et al., BMJ 2017;358:j3453 (item wording shortened).</p>`,
    `<p>Computed against the signed ledger digest at position ${doc.digest.position ?? '—'} (${doc.digest.count} events), hash <code>${esc(doc.digest.hash)}</code>, signature <code>${esc(doc.digest.signature)}</code> (key ${esc(doc.digest.keyId)}, sealed ${esc(doc.digest.sealedAt)}). <a href="${esc(doc.digest.verifyQuery)}">Verify the ledger against this digest</a>.</p>`,
    '<h2>Short form (GRIPP2-SF)</h2>',
    '<table>',
    '<caption>GRIPP2 short form: the long-form items behind each item, and those the ledger filled</caption>',
    '<thead><tr><th scope="col">Item</th><th scope="col">Topic</th><th scope="col">Long-form items</th><th scope="col">From the ledger</th></tr></thead>',
    '<tbody>',
    ...doc.shortForm.map(
      (item) =>
        `<tr><td>${esc(item.id)}</td><td>${esc(item.topic)}</td><td>${esc(item.longForm.join(', '))}</td><td>${esc(item.fromLedger.length > 0 ? item.fromLedger.join(', ') : 'to be written by the evaluator')}</td></tr>`,
    ),
    '</tbody>',
    '</table>',
    '<h2>Long form (GRIPP2-LF)</h2>',
  ];
  for (const [section, items] of sections(doc.longForm)) {
    out.push(`<section aria-labelledby="section-${esc(section.split(' ')[0]!)}">`);
    out.push(`<h3 id="section-${esc(section.split(' ')[0]!)}">${esc(section)}</h3>`);
    for (const item of items) {
      out.push(`<h4 id="item-${esc(item.id)}">${esc(`${item.id} ${item.topic}`)}</h4>`);
      out.push(`<p><em>${esc(item.asks)}</em></p>`);
      if (item.source === 'evaluator') {
        out.push(`<p class="evaluator">${esc(item.basis)}</p>`);
        continue;
      }
      out.push(`<p>${esc(item.basis)}</p>`);
      out.push(
        '<table>',
        `<caption>${esc(`Item ${item.id}: figures from the ledger`)}</caption>`,
        '<thead><tr><th scope="col">Figure</th><th scope="col">Value</th><th scope="col">Breakdown</th><th scope="col">Evidence</th></tr></thead>',
        '<tbody>',
      );
      for (const figure of item.figures)
        out.push(
          `<tr data-figure="${esc(`${item.id}.${figure.key}`)}"><th scope="row">${esc(labelText(figure))}</th><td>${esc(gripp2Value(figure))}</td><td>${esc(breakdownText(figure))}</td><td><a href="${esc(figure.query)}">report</a> · <a href="${esc(figure.evidence.auditQuery)}">audit events</a> · ${esc(positionsText(figure))}</td></tr>`,
        );
      out.push('</tbody>', '</table>');
    }
    out.push('</section>');
  }
  out.push('</main>', '</body>', '</html>');
  return `${out.join('\n')}\n`;
}
