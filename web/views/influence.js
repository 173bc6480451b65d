// Influence: what was heard, how it was answered, whether a decision cited it
// and whether it was reported back, as a flow; the response clock beside it;
// every item in a table beneath.
import { $, chartBox, el, figures, table } from '../lib/dom.js';
import { longDate, percent, person, words } from '../lib/format.js';
import { bars } from '../charts/bars.js';
import { flow } from '../charts/flow.js';
import { nothingYet } from './governance.js';

const OUTCOMES = ['adopted', 'adapted', 'not-adopted', 'noted', 'none'];

/** Counts for the flow: heard → first outcome → decision → reported back. */
export function influenceFlow(items) {
  const outcome = (item) => item.responses?.[0]?.outcome ?? 'none';
  const decided = (item) => (item.decisions?.length ?? 0) > 0;
  const count = (test) => items.filter(test).length;
  const outcomes = OUTCOMES.filter((o) => count((i) => outcome(i) === o) > 0);
  const label = (o) => (o === 'none' ? 'No response yet' : words(o));
  const columns = [
    { title: 'Heard', nodes: [{ key: 'heard', label: 'Heard', count: items.length }] },
    {
      title: 'Responded',
      nodes: outcomes.map((o) => ({
        key: o,
        label: label(o),
        count: count((i) => outcome(i) === o),
      })),
    },
    {
      title: 'Decision',
      nodes: [
        { key: 'decided', label: 'Decision cites it', count: count(decided) },
        { key: 'undecided', label: 'No decision', count: count((i) => !decided(i)) },
      ],
    },
    {
      title: 'Reported back',
      nodes: [
        { key: 'reported', label: 'Reported back', count: count((i) => i.reportedBackAt) },
        { key: 'unreported', label: 'Not yet', count: count((i) => !i.reportedBackAt) },
      ],
    },
  ];
  const links = [
    ...outcomes.map((o) => ({
      from: [0, 'heard'],
      to: [1, o],
      count: count((i) => outcome(i) === o),
    })),
    ...outcomes.flatMap((o) => [
      { from: [1, o], to: [2, 'decided'], count: count((i) => outcome(i) === o && decided(i)) },
      { from: [1, o], to: [2, 'undecided'], count: count((i) => outcome(i) === o && !decided(i)) },
    ]),
    ...[
      ['decided', decided],
      ['undecided', (i) => !decided(i)],
    ].flatMap(([key, test]) => [
      { from: [2, key], to: [3, 'reported'], count: count((i) => test(i) && i.reportedBackAt) },
      { from: [2, key], to: [3, 'unreported'], count: count((i) => test(i) && !i.reportedBackAt) },
    ]),
  ];
  return { columns, links };
}

function clock(summary, targets) {
  const steps = [
    ['Heard → first response', summary.medianDays.firstResponse, summary.firstResponse],
    ['Heard → decision', summary.medianDays.decision, null],
    ['Heard → reported back', summary.medianDays.reportBack, summary.reportBack],
  ];
  const share = (t) =>
    !t
      ? 'no target'
      : t.due === 0
        ? 'no target set'
        : `${percent(t.withinTarget, t.due)} of ${t.due} within target`;
  const known = steps.filter(([, days]) => days !== null);
  return el(
    'div',
    {},
    el(
      'p',
      {},
      `${summary.heard} heard, ${summary.responded} responded to, ${summary.decided} cited by a decision, ${summary.reportedBack} reported back; ${summary.openPastTarget} open past target.`,
      targets ? '' : ' The programme has set no response targets.',
    ),
    known.length
      ? chartBox(
          'Median days from heard',
          bars({
            entries: known.map(([label, days, target]) => ({
              label,
              value: days,
              note: `days (median)${target ? `, ${share(target)}` : ''}`,
            })),
            scaleMax: Math.max(...known.map(([, days]) => days)),
            title: `Median days: ${known.map(([label, days]) => `${label} ${days}`).join(', ')}`,
            className: 'clock-bars',
          }),
        )
      : el('p', { class: 'empty' }, 'Nothing heard yet to time.'),
    figures(
      'Response clock in figures',
      table(
        'Median days from heard, and the share within target',
        ['Step', 'Median days', 'Within target'],
        steps.map(([label, days, target]) => [
          label,
          days === null ? '—' : String(days),
          share(target),
        ]),
        { class: 'clock-table' },
      ),
    ),
  );
}

export async function renderInfluence({ state, ticket, api, timeParams }) {
  const current = ticket('influence');
  const [all, filtered, responseClock] = await Promise.all([
    api('/v1/influence', timeParams()),
    api('/v1/influence', { ...timeParams(), status: $('influence-status').value }),
    // Only the summary is drawn: one item, not the whole list.
    api('/v1/reports/response-clock', { ...timeParams(), limit: 1 }),
  ]);
  if (!current()) return;
  const items = all.items ?? [];
  const { columns, links } = influenceFlow(items);
  $('influence-flow').replaceChildren(
    items.length
      ? chartBox(
          'Influence flow',
          flow({
            columns,
            links,
            title: `Influence flow: ${columns.map((c) => `${c.title}: ${c.nodes.map((n) => `${n.label} ${n.count}`).join(', ')}`).join('; ')}`,
          }),
        )
      : el('p', { class: 'empty' }, nothingYet(state, 'feedback', 'had been heard')),
    figures(
      'Influence flow in figures',
      table(
        'Feedback at each stage',
        ['Stage', 'Items'],
        columns.flatMap((c) => c.nodes.map((n) => [`${c.title}: ${n.label}`, String(n.count)])),
        { class: 'flow-table' },
      ),
    ),
  );
  $('clock').replaceChildren(clock(responseClock.summary, responseClock.targets));
  const counts = filtered.counts?.byStatus ?? {};
  $('influence-counts').textContent = Object.entries(counts)
    .map(([status, n]) => `${words(status)}: ${n}`)
    .join(' · ');
  $('influence').replaceChildren(
    table(
      'Feedback → response → decision → reported back',
      ['Heard', 'Feedback', 'Raised by', 'Responses', 'Decisions', 'Reported back'],
      (filtered.items ?? []).map((item) => [
        longDate(item.heardAt),
        `${words(item.kind)}: ${item.summary ?? ''}`,
        item.raisedByPerson ? person(item.raisedByPerson) : '',
        (item.responses ?? [])
          .map((r) => `${words(r.outcome)}${r.rationale ? ` — ${r.rationale}` : ''}`)
          .join('; '),
        (item.decisions ?? [])
          .map((d) => `${d.summary ?? d.decisionId} (${d.groupName ?? d.groupId})`)
          .join('; '),
        item.reportedBackAt ? longDate(item.reportedBackAt) : 'not yet',
      ]),
      { class: 'influence-table' },
    ),
  );
}
