// Tenures as a timeline: one row per seat or co-chair term of the chosen
// group across the programme's period; a partner's own history beneath.
import { $, chartBox, el, figures, table } from '../lib/dom.js';
import { longDate, person, words } from '../lib/format.js';
import { gantt, legend } from '../charts/gantt.js';
import { emptyMessage } from './governance.js';

/**
 * Rows for the chart: the terms of each role and constituency packed into as
 * few rows as they need, a term taking the row of one that had ended (so a
 * successor follows on the same row, and a vacancy shows as a gap).
 */
export function tenureRows(tenures) {
  const lanes = new Map();
  const sorted = [...tenures].sort((a, b) => a.from.localeCompare(b.from));
  for (const t of sorted) {
    const key = `${t.role}:${t.constituency}`;
    if (!lanes.has(key)) lanes.set(key, []);
    const rows = lanes.get(key);
    const term = { from: t.from, to: t.to, who: person(t), endReason: t.endReason };
    const free = rows.find((row) => {
      const last = row.terms.at(-1);
      return last.to !== null && last.to <= t.from;
    });
    if (free) free.terms.push(term);
    else
      rows.push({
        label: `${t.role === 'co-chair' ? 'Co-chair' : 'Seat'} · ${words(t.constituency)}`,
        role: t.role,
        constituency: t.constituency,
        terms: [term],
      });
  }
  const order = (r) => (r.role === 'co-chair' ? 0 : r.constituency === 'lay' ? 2 : 1);
  const rows = [...lanes.values()].flatMap((rows) =>
    rows.map((row, i) => (rows.length > 1 ? { ...row, label: `${row.label} ${i + 1}` } : row)),
  );
  return rows.sort(
    (a, b) => order(a) - order(b) || a.label.localeCompare(b.label, 'en', { numeric: true }),
  );
}

/** The representation report's below-minimum periods per group, for the chosen known-at. */
export async function belowPeriods({ api, state, programmeParams }) {
  const report = await api('/v1/reports/representation', {
    knownAt: state.knownAt,
    ...programmeParams(),
  });
  return new Map((report.periods ?? []).map((p) => [p.groupId, p]));
}

export async function renderTenures(context) {
  const { state, ticket, api } = context;
  const groupId = $('tenure-group').value;
  const current = ticket('tenures');
  if (!groupId) {
    $('tenures').replaceChildren(el('p', { class: 'empty' }, emptyMessage(state)));
    $('history-partner').replaceChildren();
    return renderHistory(context);
  }
  const periods = await belowPeriods(context);
  const group = state.groups.find((g) => g.groupId === groupId);
  const name = group?.name ?? groupId;
  // A group the ledger did not yet know of at known-at has no terms to ask for.
  const { tenures } = periods.has(groupId)
    ? await api(`/v1/groups/${encodeURIComponent(groupId)}/tenures`, { knownAt: state.knownAt })
    : { tenures: [] };
  if (!current()) return;
  if (tenures.length === 0) {
    $('tenures').replaceChildren(
      el(
        'p',
        { class: 'empty' },
        state.knownAt
          ? `The ledger did not yet know of ${periods.has(groupId) ? `any seat on ${name}` : name} on ${longDate(state.knownAt)} (as the record stood then).`
          : `No one has sat on ${name}.`,
      ),
    );
  } else {
    const rows = tenureRows(tenures);
    const constituencies = [...new Set(rows.map((r) => r.constituency))];
    $('tenures').replaceChildren(
      legend(constituencies),
      chartBox(
        `Terms on ${name}`,
        gantt({
          rows,
          period: state.period,
          title: `Seat and co-chair terms on ${name}, ${longDate(state.period.start)} to ${longDate(state.period.end)}`,
          below: periods.get(groupId)?.belowMinimum ?? [],
          asOf: state.asOf,
          onFocus: (text) => ($('tenure-focus').textContent = text),
        }),
        { focusable: false },
      ),
      figures(
        `Terms on ${name} in figures (${tenures.length})`,
        table(
          `Seat and co-chair terms on ${name}`,
          ['Who', 'Role', 'From', 'Until', 'Ended because'],
          tenures.map((t) => [
            person(t),
            t.role === 'co-chair' ? `Co-chair (${words(t.constituency)})` : words(t.constituency),
            longDate(t.from),
            t.to ? longDate(t.to) : 'still seated',
            t.endReason ? words(t.endReason) : '',
          ]),
          { class: 'tenure-table' },
        ),
      ),
    );
  }
  const people = [...new Map(tenures.map((t) => [t.partnerId, person(t)])).entries()];
  const kept = $('history-partner').value;
  $('history-partner').replaceChildren(
    ...people.map(([id, who]) => el('option', { value: id }, who)),
  );
  if (people.some(([id]) => id === kept)) $('history-partner').value = kept;
  await renderHistory(context);
}

export async function renderHistory({ ticket, apiLines }) {
  const partnerId = $('history-partner').value;
  const current = ticket('history');
  if (!partnerId) return $('partner-history').replaceChildren();
  try {
    const lines = await apiLines('/v1/timeline', { partnerId, limit: 500 }, 1);
    if (!current()) return;
    $('partner-history').replaceChildren(
      ...lines.map((line) => el('li', {}, `${longDate(line.occurredAt)} — ${line.line}`)),
    );
  } catch (error) {
    $('partner-history').replaceChildren(el('li', {}, `History unavailable: ${error.message}`));
  }
}
