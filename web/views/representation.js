// Representation over time: per group, lay seats filled as a step line
// against the minimum, with the exact below-minimum periods of the
// representation report shaded.
import { $, chartBox, el, figures, table } from '../lib/dom.js';
import { DAY, longDate } from '../lib/format.js';
import { stepChart } from '../charts/step.js';
import { belowPeriods } from './tenures.js';
import { emptyMessage } from './governance.js';

/** Lay seats filled over time, from the group's lay seat terms: a point at every change. */
export function layCounts(tenures) {
  const changes = new Map();
  for (const t of tenures) {
    if (t.role !== 'seat' || t.constituency !== 'lay') continue;
    changes.set(t.from, (changes.get(t.from) ?? 0) + 1);
    if (t.to) changes.set(t.to, (changes.get(t.to) ?? 0) - 1);
  }
  let value = 0;
  return [...changes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([at, delta]) => ({ at, value: (value += delta) }));
}

/** "Below the minimum 2 times, 140 days in all", and since when if it still is. */
function belowSummary(below) {
  if (below.length === 0) return 'Never below the minimum.';
  const closed = below.filter((b) => b.until);
  const open = below.find((b) => !b.until);
  const times = below.length === 1 ? 'once' : `${below.length} times`;
  const total = closed.reduce((n, b) => n + days(b), 0);
  return [
    `Below the minimum ${times}`,
    closed.length ? `, ${total} days ${open ? 'before that' : 'in all'}` : '',
    open ? `; still below since ${longDate(open.from)}` : '',
    '.',
  ].join('');
}

const days = (b, end) => Math.round((Date.parse(b.until ?? end) - Date.parse(b.from)) / DAY);

export async function renderRepresentation(context) {
  const { state, ticket, api } = context;
  const current = ticket('representation');
  // Only groups the ledger knew of at known-at have terms to ask for.
  const periods = await belowPeriods(context);
  const tenures = await Promise.all(
    state.groups
      .filter((g) => periods.has(g.groupId))
      .map((g) =>
        api(`/v1/groups/${encodeURIComponent(g.groupId)}/tenures`, { knownAt: state.knownAt }).then(
          (answer) => [g.groupId, answer.tenures],
        ),
      ),
  );
  if (!current()) return;
  const byGroup = new Map(tenures);
  const shown = state.groups.filter((g) => periods.has(g.groupId));
  if (shown.length === 0) {
    $('representation').replaceChildren(el('p', { class: 'empty' }, emptyMessage(state)));
    return;
  }
  const now = new Date().toISOString();
  $('representation').replaceChildren(
    ...shown.map((group) => {
      const period = periods.get(group.groupId);
      const points = layCounts(byGroup.get(group.groupId) ?? []);
      const start = period.establishedAt;
      const series = [{ at: start, value: 0 }, ...points.filter((p) => p.at > start)];
      const atStart = points.filter((p) => p.at <= start).at(-1);
      if (atStart) series[0].value = atStart.value;
      const below = period.belowMinimum;
      return el(
        'section',
        { class: 'representation-group', 'data-group': group.groupId },
        el('h3', {}, group.name, ` — lay seats ${period.min}–${period.max}`),
        el('p', { class: below.length ? 'below-text' : 'hint' }, belowSummary(below)),
        chartBox(
          `Lay seats on ${group.name}`,
          stepChart({
            points: series,
            min: period.min,
            max: period.max,
            below,
            period: state.period,
            asOf: state.asOf,
            title: `Lay seats filled on ${group.name} over time, minimum ${period.min}, maximum ${period.max}`,
          }),
        ),
        figures(
          `${group.name} in figures`,
          el(
            'div',
            {},
            table(
              `Periods ${group.name} was below its lay minimum`,
              ['From', 'Until', 'Days'],
              below.length
                ? below.map((b) => [
                    longDate(b.from),
                    b.until ? longDate(b.until) : 'still below',
                    String(days(b, now)),
                  ])
                : [['Never below the minimum', '', '']],
              { class: 'below-table' },
            ),
            table(
              `Lay seats filled on ${group.name}, at each change`,
              ['From', 'Lay seats filled'],
              series.map((p) => [longDate(p.at), String(p.value)]),
              { class: 'lay-count-table' },
            ),
          ),
        ),
      );
    }),
  );
}
