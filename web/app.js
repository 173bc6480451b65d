// The evaluator and auditor page: plain ES modules, no build step, no framework.
// Reads the ledger's own API with the key kept in session storage.
const KEY = 'engagement-ledger-key';
// The programme shown, kept in the address (shareable) and the tab's session storage.
const PROGRAMME = 'engagement-ledger-programme';
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children.flat())
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
};
const day = (iso) => (iso ? iso.slice(0, 10) : '');
const monthStart = (date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));

const state = { months: [], asOf: null, knownAt: null, role: null, programmeId: null };

// Each view draws only its latest answer: a slow reply for an earlier month or
// another programme never overwrites a newer one.
const tickets = new Map();
function ticket(view) {
  const issued = (tickets.get(view) ?? 0) + 1;
  tickets.set(view, issued);
  return () => tickets.get(view) === issued;
}

async function api(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params))
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}` },
  });
  if (response.status === 401) {
    signOut('That key was not accepted.');
    throw new Error('unauthenticated');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

async function apiLines(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}` },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

// Every read that takes it names the programme, so the page never receives the
// several-programmes answer ({programmes: [...]}); a ledger without programmes names none.
const programmeParams = () => (state.programmeId ? { programmeId: state.programmeId } : {});
const timeParams = () => ({ asOf: state.asOf, knownAt: state.knownAt, ...programmeParams() });

function signOut(message = '') {
  sessionStorage.removeItem(KEY);
  $('ledger').hidden = true;
  $('sign-in').hidden = false;
  $('key-error').textContent = message;
  $('api-key').focus();
}

async function start() {
  const me = await api('/v1/me');
  state.role = me.role;
  $('whoami').textContent =
    `Signed in as ${me.role}${me.role === 'evaluator' ? ' — people are shown by pseudonym' : ''}.`;
  $('sign-in').hidden = true;
  $('ledger').hidden = false;
  const { programmes } = await api('/v1/programmes');
  fillProgrammeChoices(programmes);
  await openProgramme(chooseProgramme(programmes));
}

/** The programme asked for in the address, else the one last shown in this tab, else the first. */
function chooseProgramme(programmes) {
  const ids = programmes.map((p) => p.programmeId);
  const asked = [
    new URL(location.href).searchParams.get('programmeId'),
    sessionStorage.getItem(PROGRAMME),
  ];
  return asked.find((id) => ids.includes(id)) ?? ids[0] ?? null;
}

function fillProgrammeChoices(programmes) {
  const select = $('programme');
  select.replaceChildren(
    ...programmes.map((p) => el('option', { value: p.programmeId }, p.name ?? p.programmeId)),
  );
  // One programme: shown, nothing to choose. None: nothing to show.
  select.disabled = programmes.length < 2;
  $('programme-field').hidden = programmes.length === 0;
}

function rememberProgramme(programmeId) {
  const url = new URL(location.href);
  if (programmeId) {
    url.searchParams.set('programmeId', programmeId);
    sessionStorage.setItem(PROGRAMME, programmeId);
  } else {
    url.searchParams.delete('programmeId');
    sessionStorage.removeItem(PROGRAMME);
  }
  window.history.replaceState(window.history.state, '', url);
}

/** Shows one programme: its months on the slider (keeping the month shown if it has it), its groups. */
async function openProgramme(programmeId) {
  state.programmeId = programmeId;
  rememberProgramme(programmeId);
  if (programmeId) $('programme').value = programmeId;
  const current = ticket('programme');
  const all = await api('/v1/governance', programmeParams());
  if (!current()) return;
  const first = all.groups.map((g) => g.establishedAt).sort()[0] ?? new Date().toISOString();
  const months = [];
  for (
    let m = monthStart(new Date(first));
    m <= new Date();
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  )
    months.push(m);
  const shown = state.asOf ? state.asOf.slice(0, 7) : null;
  const kept = months.findIndex((m) => m.toISOString().slice(0, 7) === shown);
  const index = kept >= 0 ? kept : months.length - 1;
  state.months = months;
  const slider = $('as-of');
  slider.max = String(months.length - 1);
  slider.value = String(index);
  fillGroupChoices(all.groups);
  await setAsOf(index);
}

function monthLabel(date) {
  return date.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

async function setAsOf(index) {
  const month = state.months[Number(index)];
  // The end of the chosen month: who sat there during it, as it closed.
  const end = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0));
  state.asOf = day(end.toISOString());
  $('as-of-label').textContent = end.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  $('as-of').setAttribute('aria-valuetext', monthLabel(month));
  await refresh();
}

async function refresh() {
  const active = document.querySelector('[role="tab"][aria-selected="true"]').id;
  if (active === 'tab-governance') await renderGovernance();
  if (active === 'tab-tenures') await renderTenures();
  if (active === 'tab-influence') await renderInfluence();
  if (active === 'tab-reports') await renderReports();
}

async function renderGovernance() {
  const current = ticket('governance');
  const { groups } = await api('/v1/governance', timeParams());
  if (!current()) return;
  const children = new Map();
  for (const group of groups) {
    const parent = groups.some((g) => g.groupId === group.parentGroupId)
      ? group.parentGroupId
      : null;
    children.set(parent, [...(children.get(parent) ?? []), group]);
  }
  const tree = (parent, depth) => {
    const list = el('ul', { class: depth === 0 ? 'groups root' : 'groups' });
    for (const group of children.get(parent) ?? []) {
      const below = group.laySeats.belowMinimum;
      const seats = group.seats.map((seat) =>
        el(
          'li',
          {},
          el(
            'span',
            { class: seat.constituency === 'lay' ? 'seat-lay' : '' },
            seat.partnerName ?? seat.partnerId,
          ),
          ` — ${seat.constituency}`,
        ),
      );
      const chairs = group.coChairs.map(
        (c) =>
          `${c.partnerName ?? c.partnerId} (${c.constituency}${c.electionId ? ', elected' : ''})`,
      );
      list.append(
        el(
          'li',
          { class: below ? 'group below' : 'group', 'data-group': group.groupId },
          el(
            'h3',
            {},
            group.name,
            el('span', { class: 'badge' }, group.kind),
            el('span', { class: 'badge' }, group.level),
          ),
          el(
            'p',
            {},
            `Lay seats ${group.laySeats.filled} of ${group.laySeats.min}–${group.laySeats.max}`,
            below ? el('span', { class: 'below' }, ' — below the lay minimum') : '',
          ),
          chairs.length ? el('p', {}, `Co-chairs: ${chairs.join('; ')}`) : '',
          seats.length
            ? el('ul', { 'aria-label': `Members of ${group.name}` }, seats)
            : el('p', { class: 'hint' }, 'No seats filled'),
          tree(group.groupId, depth + 1),
        ),
      );
    }
    return list;
  };
  $('governance').replaceChildren(
    groups.length ? tree(null, 0) : el('p', {}, 'No groups existed on this date.'),
  );
}

function fillGroupChoices(groups) {
  $('tenure-group').replaceChildren(
    ...groups.map((g) => el('option', { value: g.groupId }, g.name)),
  );
}

async function renderTenures() {
  const groupId = $('tenure-group').value;
  const current = ticket('tenures');
  if (!groupId) {
    $('tenures').replaceChildren(el('p', {}, 'This programme has no groups yet.'));
    $('history-partner').replaceChildren();
    return renderHistory();
  }
  const { tenures } = await api(`/v1/groups/${encodeURIComponent(groupId)}/tenures`, {
    knownAt: state.knownAt,
  });
  if (!current()) return;
  const from = state.months[0].getTime();
  const to = Date.now();
  const pct = (iso) => (100 * (Date.parse(iso) - from)) / (to - from);
  const rows = tenures.map((t) =>
    el(
      'tr',
      {},
      el('td', {}, t.partnerName ?? t.partnerId),
      el('td', {}, t.role === 'co-chair' ? `co-chair (${t.constituency})` : t.constituency),
      el('td', {}, day(t.from)),
      el('td', {}, t.to ? day(t.to) : 'current'),
      el('td', {}, t.endReason ?? ''),
      el(
        'td',
        { 'aria-hidden': 'true' },
        el(
          'div',
          { class: 'bar-track' },
          el('div', {
            class: 'bar',
            style: `left:${pct(t.from)}%;width:${Math.max(0.5, pct(t.to ?? new Date().toISOString()) - pct(t.from))}%`,
          }),
        ),
      ),
    ),
  );
  const people = [
    ...new Map(tenures.map((t) => [t.partnerId, t.partnerName ?? t.partnerId])).entries(),
  ];
  $('history-partner').replaceChildren(
    ...people.map(([id, name]) => el('option', { value: id }, name)),
  );
  $('tenures').replaceChildren(
    el(
      'table',
      {},
      el('caption', {}, 'Seat and co-chair terms'),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Who', 'Seat', 'From', 'To', 'Ended because', 'Timeline'].map((h) =>
            el('th', { scope: 'col' }, h),
          ),
        ),
      ),
      el('tbody', {}, rows),
    ),
  );
  await renderHistory();
}

async function renderHistory() {
  const partnerId = $('history-partner').value;
  const current = ticket('history');
  if (!partnerId) return $('partner-history').replaceChildren();
  try {
    const body = await apiLines('/v1/timeline', { partnerId });
    if (!current()) return;
    $('partner-history').replaceChildren(
      ...body.map((line) => el('li', {}, `${day(line.occurredAt)} — ${line.line}`)),
    );
  } catch (error) {
    $('partner-history').replaceChildren(el('li', {}, `History unavailable: ${error.message}`));
  }
}

async function renderInfluence() {
  const current = ticket('influence');
  try {
    const body = await api('/v1/influence', {
      ...timeParams(),
      status: $('influence-status').value,
    });
    if (!current()) return;
    const items = body.items ?? body.feedback ?? [];
    const counts = body.counts?.byStatus ?? body.counts ?? {};
    $('influence-counts').textContent = Object.entries(counts)
      .filter(([, n]) => typeof n === 'number')
      .map(([status, n]) => `${status}: ${n}`)
      .join(' · ');
    $('influence').replaceChildren(
      el(
        'table',
        {},
        el('caption', {}, 'Feedback → response → decision → reported back'),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['Heard', 'Feedback', 'Responses', 'Decisions', 'Reported back'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        el(
          'tbody',
          {},
          items.map((item) =>
            el(
              'tr',
              {},
              el('td', {}, day(item.heardAt ?? item.occurredAt)),
              el('td', {}, `${item.kind ?? ''}: ${item.summary ?? ''}`),
              el(
                'td',
                {},
                (item.responses ?? [])
                  .map((r) => `${r.outcome}${r.rationale ? ` — ${r.rationale}` : ''}`)
                  .join('; '),
              ),
              el('td', {}, (item.decisions ?? []).map((d) => d.summary ?? d.decisionId).join('; ')),
              el('td', {}, item.reportedBackAt ? day(item.reportedBackAt) : 'not yet'),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    if (current())
      $('influence').replaceChildren(el('p', {}, `Influence ledger unavailable: ${error.message}`));
  }
}

function bars(title, entries) {
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const height = 28 * entries.length + 10;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 600 ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute(
    'aria-label',
    `${title}: ${entries.map(([label, n]) => `${label} ${n}`).join(', ')}`,
  );
  entries.forEach(([label, n], i) => {
    const y = 5 + i * 28;
    const text = document.createElementNS(svg.namespaceURI, 'text');
    text.setAttribute('x', '0');
    text.setAttribute('y', String(y + 17));
    text.textContent = label;
    const rect = document.createElementNS(svg.namespaceURI, 'rect');
    rect.setAttribute('x', '220');
    rect.setAttribute('y', String(y));
    rect.setAttribute('height', '22');
    rect.setAttribute('width', String((330 * n) / max));
    rect.setAttribute('fill', '#005eb8');
    const value = document.createElementNS(svg.namespaceURI, 'text');
    value.setAttribute('x', String(226 + (330 * n) / max));
    value.setAttribute('y', String(y + 17));
    value.textContent = String(n);
    svg.append(text, rect, value);
  });
  return el('figure', {}, svg, el('figcaption', {}, title));
}

async function renderReports() {
  const current = ticket('reports');
  try {
    const funnel = await api('/v1/reports/recruitment-funnel', timeParams());
    if (!current()) return;
    const campaigns = funnel.byCampaign ?? funnel.campaigns ?? [];
    $('funnel').replaceChildren(
      ...campaigns.map((c) => {
        const stages =
          c.stages ??
          Object.entries(c)
            .filter(([, v]) => typeof v === 'number')
            .map(([k, v]) => ({ stage: k, count: v }));
        return bars(
          `Campaign ${c.campaign ?? ''}`,
          stages.map((s) => [s.stage ?? s.name, s.count ?? s.value ?? 0]),
        );
      }),
    );
  } catch (error) {
    if (current()) $('funnel').replaceChildren(el('p', {}, `Funnel unavailable: ${error.message}`));
  }
  try {
    const participation = await api('/v1/reports/participation', timeParams());
    if (!current()) return;
    const groups = participation.groups ?? [];
    $('participation').replaceChildren(
      bars(
        'Meetings held per group',
        groups.map((g) => [g.name ?? g.groupId, g.meetingsHeld ?? g.held ?? 0]),
      ),
    );
  } catch (error) {
    if (current())
      $('participation').replaceChildren(
        el('p', {}, `Participation unavailable: ${error.message}`),
      );
  }
}

function selectTab(tab) {
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  tab.focus();
  void refresh();
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('api-key').value.trim());
  $('api-key').value = '';
  start().catch((error) =>
    signOut(error.message === 'unauthenticated' ? 'That key was not accepted.' : error.message),
  );
});
$('sign-out').addEventListener('click', () => signOut());
$('programme').addEventListener(
  'change',
  (event) =>
    void openProgramme(event.target.value).catch((error) =>
      $('governance').replaceChildren(el('p', {}, `Programme unavailable: ${error.message}`)),
    ),
);
$('as-of').addEventListener('input', (event) => void setAsOf(event.target.value));
$('known-toggle').addEventListener('change', (event) => {
  $('known-at').disabled = !event.target.checked;
  state.knownAt = event.target.checked && $('known-at').value ? $('known-at').value : null;
  void refresh();
});
$('known-at').addEventListener('change', (event) => {
  state.knownAt = $('known-toggle').checked ? event.target.value || null : null;
  void refresh();
});
$('tenure-group').addEventListener('change', () => void renderTenures());
$('history-partner').addEventListener('change', () => void renderHistory());
$('influence-status').addEventListener('change', () => void renderInfluence());
const tabs = [...document.querySelectorAll('[role="tab"]')];
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const i = tabs.indexOf(tab);
    if (event.key === 'ArrowRight') selectTab(tabs[(i + 1) % tabs.length]);
    if (event.key === 'ArrowLeft') selectTab(tabs[(i - 1 + tabs.length) % tabs.length]);
  });
}

if (sessionStorage.getItem(KEY)) start().catch(() => signOut());
else $('api-key').focus();
