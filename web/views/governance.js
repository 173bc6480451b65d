// Governance as a structure: the board and its groups as boxes, lay seats
// filled against minimum and maximum, co-chairs by constituency; large
// bodies summarised with counts and opened on demand.
import { $, el, table, figures } from '../lib/dom.js';
import { instant, longDate, person, words } from '../lib/format.js';

/** A body with more seats than this is summarised by counts, its names behind a disclosure. */
const LARGE = 20;

/** The message for a view with nothing to show: nothing yet by that date, or not yet known of. */
export function nothingYet(state, what, happened) {
  return state.knownAt
    ? `The ledger did not yet know of any ${what} on ${longDate(state.knownAt)} (as the record stood then).`
    : `No ${what} ${happened} by ${state.asOf ? longDate(state.asOf) : 'today'}.`;
}

/** The message for a date with no groups: not yet established, or not yet known of. */
export function emptyMessage(state) {
  const when = state.asOf ? longDate(state.asOf) : 'today';
  return state.knownAt
    ? `The ledger did not yet know of any groups on ${longDate(state.knownAt)} (as the record stood then).`
    : `No group of this programme had been established by ${when}.`;
}

function seatMeter(laySeats) {
  const { filled, min, max } = laySeats;
  const shown = Math.min(Math.max(max, filled), 30);
  const dots = [];
  for (let i = 0; i < shown; i++)
    dots.push(
      el('span', {
        class: `seat-dot${i < filled ? ' filled' : ''}${i < min ? ' required' : ''}`,
      }),
    );
  return el('span', { class: 'meter', 'aria-hidden': 'true' }, dots);
}

function countsBy(seats) {
  const counts = new Map();
  for (const seat of seats) counts.set(seat.constituency, (counts.get(seat.constituency) ?? 0) + 1);
  return [...counts.entries()].map(([c, n]) => `${words(c)}: ${n}`).join(' · ');
}

/** One group as a box. */
export function groupBox(group, { compact = false } = {}) {
  const lay = group.laySeats;
  const below = lay.belowMinimum;
  const large = group.seats.length > LARGE;
  const members = el(
    'ul',
    { class: 'members', 'aria-label': `Members of ${group.name}` },
    group.seats.map((seat) =>
      el(
        'li',
        {},
        el('span', { class: seat.constituency === 'lay' ? 'seat-lay' : '' }, person(seat)),
        ` — ${words(seat.constituency)}`,
      ),
    ),
  );
  return el(
    'article',
    {
      class: `group-box${below ? ' below' : ''}${large ? ' large' : ''}`,
      'data-group': group.groupId,
      'aria-label': group.name,
    },
    el(
      'h3',
      {},
      group.name,
      ' ',
      el('span', { class: 'badge' }, words(group.kind)),
      group.borough ? el('span', { class: 'badge' }, group.borough) : null,
    ),
    el(
      'p',
      { class: 'lay-seats' },
      seatMeter(lay),
      ` Lay seats ${lay.filled} of ${lay.min}–${lay.max}`,
      below ? el('strong', { class: 'below-text' }, ` — below the minimum of ${lay.min}`) : null,
    ),
    group.coChairs.length
      ? el(
          'p',
          { class: 'co-chairs' },
          'Co-chairs: ',
          group.coChairs
            .map(
              (c) => `${words(c.constituency)} — ${person(c)}${c.electionId ? ' (elected)' : ''}`,
            )
            .join('; '),
        )
      : null,
    compact
      ? null
      : group.seats.length === 0
        ? el('p', { class: 'hint' }, 'No seats filled')
        : large
          ? el(
              'details',
              {},
              el('summary', {}, `${group.seats.length} members (${countsBy(group.seats)})`),
              members,
            )
          : el(
              'details',
              { open: true },
              el('summary', {}, `Members (${group.seats.length})`),
              members,
            ),
  );
}

/** The board at the top, its groups below it (children of children nested in their parent's row). */
export function structure(groups, options = {}) {
  const ids = new Set(groups.map((g) => g.groupId));
  const children = new Map();
  for (const group of groups) {
    const parent = ids.has(group.parentGroupId) ? group.parentGroupId : null;
    children.set(parent, [...(children.get(parent) ?? []), group]);
  }
  const level = (parent) =>
    (children.get(parent) ?? []).map((group) => {
      const below = children.get(group.groupId) ?? [];
      return el(
        'li',
        { class: 'node' },
        groupBox(group, options),
        below.length ? el('ul', { class: 'tier' }, level(group.groupId)) : null,
      );
    });
  return el('ul', { class: 'tier root' }, level(null));
}

export async function renderGovernance({ state, ticket, api, timeParams }) {
  const current = ticket('governance');
  const { groups, knownAt } = await api('/v1/governance', timeParams());
  if (!current()) return;
  if (groups.length === 0) {
    $('governance').replaceChildren(el('p', { class: 'empty' }, emptyMessage(state)));
    return;
  }
  const belowCount = groups.filter((g) => g.laySeats.belowMinimum).length;
  $('governance').replaceChildren(
    el(
      'p',
      { class: 'summary' },
      `${groups.length} groups; ${belowCount} below their lay minimum`,
      state.knownAt ? ` (as recorded by ${instant(knownAt)})` : '',
      '.',
    ),
    structure(groups),
    figures(
      'Lay seats in figures',
      table(
        'Lay seats per group',
        ['Group', 'Filled', 'Minimum', 'Maximum', 'Below minimum'],
        groups.map((g) => [
          g.name,
          String(g.laySeats.filled),
          String(g.laySeats.min),
          String(g.laySeats.max),
          g.laySeats.belowMinimum ? 'Yes' : 'No',
        ]),
        { class: 'lay-seat-table' },
      ),
    ),
  );
}
