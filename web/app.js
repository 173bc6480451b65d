// The evaluator and auditor page: plain ES modules, no build step, no framework.
// This module holds the shared state (programme, period, as-of, known-at), the
// time controls and the tabs; each view draws itself from the read API.
import { api, apiFile, apiLines, KEY, Unauthenticated } from './lib/api.js';
import { $, el } from './lib/dom.js';
import { DAY, instant, longDate, parseUkDate, shortDate } from './lib/format.js';
import { renderGovernance } from './views/governance.js';
import { renderTenures, renderHistory } from './views/tenures.js';
import { renderRepresentation } from './views/representation.js';
import { renderRecruitment } from './views/recruitment.js';
import { renderInfluence } from './views/influence.js';
import { renderReplay, replayControls, stop as stopReplay } from './views/replay.js';
import { gripp2Downloads, renderGripp2 } from './views/gripp2.js';

// The programme shown, kept in the address (shareable) and the tab's session storage.
const PROGRAMME = 'engagement-ledger-programme';

/** The events of a programme's own streams, the ones that shape its structure and period. */
const PROGRAMME_EVENTS = [
  'ProgrammeLaunched',
  'RoleProfilePublished',
  'NominationsRequested',
  'RecruitmentWorkshopHeld',
  'PrinciplesAdopted',
  'WithdrawalReasonsDefined',
  'ResponseTargetsSet',
  'GroupEstablished',
  'SeatAllocated',
  'SeatVacated',
  'CoChairAppointed',
  'CoChairElected',
  'CoChairStoodDown',
  'MeetingHeld',
  'DecisionRecorded',
  'GroupDissolved',
];

const state = {
  role: null,
  programmeId: null,
  /** The programme's own period: first to last recorded fact, widened to whole quarters. */
  period: null,
  /** End of the chosen day (ISO), or null for now. */
  asOf: null,
  /** What the ledger had recorded by then (ISO), or null for everything. */
  knownAt: null,
  /** The programme's groups (as of now) and its events in log order, with plain-language lines. */
  groups: [],
  lines: [],
};

// Each view draws only its latest answer: a slow reply for an earlier date or
// another programme never overwrites a newer one.
const tickets = new Map();
function ticket(view) {
  const issued = (tickets.get(view) ?? 0) + 1;
  tickets.set(view, issued);
  return () => tickets.get(view) === issued;
}

// Every read that takes it names the programme, so the page never receives the
// several-programmes answer ({programmes: [...]}); a ledger without programmes names none.
const programmeParams = () => (state.programmeId ? { programmeId: state.programmeId } : {});
const timeParams = () => ({ asOf: state.asOf, knownAt: state.knownAt, ...programmeParams() });

const context = { state, ticket, programmeParams, timeParams, api, apiFile, apiLines };

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
  await openProgramme(chooseProgramme(programmes), programmes);
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
  context.programmes = programmes;
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

const startOfDay = (t) => Math.floor(t / DAY) * DAY;
const quarterStart = (t) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
};
const quarterEnd = (t) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3 + 3, 1) - 1;
};

/**
 * The programme's own period, from its launch or first event to its last
 * event, widened to whole quarters (never past today). Its events are those
 * of its own streams: the programme's and its groups'.
 */
function programmePeriod(programme, groups, lines) {
  const times = lines.map((l) => Date.parse(l.occurredAt));
  if (programme?.launchedAt) times.push(Date.parse(programme.launchedAt));
  for (const g of groups) if (g.establishedAt) times.push(Date.parse(g.establishedAt));
  const now = Date.now();
  const first = times.length ? Math.min(...times) : now;
  const last = times.length ? Math.max(...times) : now;
  const start = quarterStart(first);
  const end = Math.min(quarterEnd(last), startOfDay(now) + DAY - 1);
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), first, last };
}

/** Shows one programme: its period on the slider (keeping the day shown if it has it), its groups. */
async function openProgramme(programmeId, programmes = context.programmes ?? []) {
  state.programmeId = programmeId;
  rememberProgramme(programmeId);
  if (programmeId) $('programme').value = programmeId;
  const current = ticket('programme');
  const [governance, all] = await Promise.all([
    api('/v1/governance', programmeParams()),
    apiLines('/v1/timeline', { type: PROGRAMME_EVENTS.join(',') }),
  ]);
  if (!current()) return;
  const ids = new Set(governance.groups.map((g) => g.groupId));
  state.groups = governance.groups;
  state.lines = all.filter(
    (line) =>
      line.stream === `programme-${programmeId}` ||
      (line.stream.startsWith('group-') && ids.has(line.stream.slice('group-'.length))),
  );
  const programme = programmes.find((p) => p.programmeId === programmeId);
  state.period = programmePeriod(programme, state.groups, state.lines);
  setUpSlider();
  fillGroupChoices(state.groups);
  await refresh();
}

/** Slider steps are days of the period; one more step past its end is "today". */
const dayCount = () =>
  Math.round((Date.parse(state.period.end) + 1 - Date.parse(state.period.start)) / DAY);
const todayStep = () => (Date.parse(state.period.end) < startOfDay(Date.now()) ? 1 : 0);

function setUpSlider() {
  const slider = $('as-of');
  const days = dayCount();
  slider.max = String(days - 1 + todayStep());
  const kept = state.asOf ? stepOf(state.asOf) : null;
  slider.value = String(kept ?? Number(slider.max));
  drawTicks();
  showAsOf();
}

function stepOf(iso) {
  const step = Math.floor((Date.parse(iso) - Date.parse(state.period.start)) / DAY);
  return step >= 0 && step < dayCount() ? step : null;
}

function drawTicks() {
  const start = Date.parse(state.period.start);
  const max = Number($('as-of').max) || 1;
  const ticks = [];
  for (let t = start; t <= Date.parse(state.period.end);) {
    const d = new Date(t);
    const january = d.getUTCMonth() === 0;
    const left = (100 * Math.round((t - start) / DAY)) / max;
    ticks.push(
      el(
        'span',
        { class: january ? 'tick year' : 'tick', style: `left:${left}%` },
        january || ticks.length === 0
          ? String(d.getUTCFullYear())
          : `Q${Math.floor(d.getUTCMonth() / 3) + 1}`,
      ),
    );
    t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1);
  }
  if (todayStep()) ticks.push(el('span', { class: 'tick today', style: 'left:100%' }, 'today'));
  $('as-of-ticks').replaceChildren(...ticks);
}

/** The slider's day as the as-of date (end of that day), or null at "today". */
function showAsOf() {
  const step = Number($('as-of').value);
  const isToday = step >= dayCount();
  const end = Date.parse(state.period.start) + (step + 1) * DAY - 1;
  state.asOf = isToday ? null : new Date(end).toISOString();
  const label = isToday ? `today (${longDate(new Date().toISOString())})` : longDate(state.asOf);
  $('as-of-label').textContent = label;
  $('as-of').setAttribute('aria-valuetext', label);
  $('as-of-date').value = isToday ? '' : shortDate(state.asOf);
  $('as-of-date-error').textContent = '';
  describeTime();
}

function describeTime() {
  const when = state.asOf ? `on ${longDate(state.asOf)}` : 'today';
  $('time-summary').textContent = state.knownAt
    ? `Showing the programme ${when}, as the record stood on ${instant(state.knownAt)}: only facts recorded by then.`
    : `Showing the programme ${when}, from everything the ledger has recorded.`;
}

async function refresh() {
  if (!state.period) return;
  const active = document.querySelector('[role="tab"][aria-selected="true"]').id;
  const views = {
    'tab-governance': renderGovernance,
    'tab-tenures': renderTenures,
    'tab-representation': renderRepresentation,
    'tab-recruitment': renderRecruitment,
    'tab-influence': renderInfluence,
    'tab-replay': renderReplay,
    'tab-gripp2': renderGripp2,
  };
  $('view-error').textContent = '';
  try {
    await views[active]?.(context);
  } catch (error) {
    if (error instanceof Unauthenticated) throw error;
    $('view-error').textContent = `This view could not be read from the ledger: ${error.message}`;
  }
}

function fillGroupChoices(groups) {
  const select = $('tenure-group');
  const kept = select.value;
  select.replaceChildren(...groups.map((g) => el('option', { value: g.groupId }, g.name)));
  if (groups.some((g) => g.groupId === kept)) select.value = kept;
}

function selectTab(tab) {
  if (tab.id !== 'tab-replay') stopReplay();
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  tab.focus();
  void refresh();
}

const failed = (error) =>
  error instanceof Unauthenticated ? signOut(error.message) : console.warn(error);
const later = (promise) => void promise.catch(failed);

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('api-key').value.trim());
  $('api-key').value = '';
  start().catch((error) =>
    signOut(error instanceof Unauthenticated ? error.message : String(error.message)),
  );
});
$('sign-out').addEventListener('click', () => signOut());
$('programme').addEventListener('change', (event) =>
  later(
    openProgramme(event.target.value).catch((error) =>
      $('governance').replaceChildren(el('p', {}, `Programme unavailable: ${error.message}`)),
    ),
  ),
);

$('as-of').addEventListener('input', () => {
  showAsOf();
  later(refresh());
});
$('as-of').addEventListener('keydown', (event) => {
  if (event.key !== 'PageUp' && event.key !== 'PageDown') return;
  // A month at a time: the same day of the next or previous month.
  event.preventDefault();
  const slider = $('as-of');
  const at = new Date(state.asOf ?? state.period.end);
  const moved = Date.UTC(
    at.getUTCFullYear(),
    at.getUTCMonth() + (event.key === 'PageUp' ? 1 : -1),
    at.getUTCDate(),
  );
  const step = Math.floor((moved - Date.parse(state.period.start)) / DAY);
  slider.value = String(Math.min(Math.max(step, 0), Number(slider.max)));
  showAsOf();
  later(refresh());
});
$('as-of-date').addEventListener('change', (event) => {
  const text = event.target.value.trim();
  if (text === '') return;
  const iso = parseUkDate(text);
  const step = iso ? stepOf(iso) : null;
  if (!iso) {
    $('as-of-date-error').textContent =
      `“${text}” is not a date: write it as dd/mm/yyyy, e.g. 14/07/2014.`;
    return;
  }
  if (step === null) {
    $('as-of-date-error').textContent =
      `The programme runs from ${longDate(state.period.start)} to ${longDate(state.period.end)}: pick a date in it, or Today.`;
    return;
  }
  $('as-of').value = String(step);
  showAsOf();
  later(refresh());
});
$('as-of-today').addEventListener('click', () => {
  $('as-of').value = $('as-of').max;
  showAsOf();
  later(refresh());
});
$('known-at').addEventListener('change', (event) => {
  const text = event.target.value.trim();
  const iso = text === '' ? null : parseUkDate(text);
  if (text !== '' && !iso) {
    $('known-at-error').textContent =
      `“${text}” is not a date: write it as dd/mm/yyyy, optionally with a time (hh:mm:ss, UTC).`;
    return;
  }
  $('known-at-error').textContent = '';
  state.knownAt = iso;
  describeTime();
  later(refresh());
});
$('known-at-clear').addEventListener('click', () => {
  $('known-at').value = '';
  $('known-at-error').textContent = '';
  state.knownAt = null;
  describeTime();
  later(refresh());
});
$('tenure-group').addEventListener('change', () => later(refresh()));
$('history-partner').addEventListener('change', () => later(renderHistory(context)));
$('influence-status').addEventListener('change', () => later(refresh()));
replayControls(context);
gripp2Downloads(context);

const tabs = [...document.querySelectorAll('[role="tab"]')];
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const i = tabs.indexOf(tab);
    if (event.key === 'ArrowRight') selectTab(tabs[(i + 1) % tabs.length]);
    if (event.key === 'ArrowLeft') selectTab(tabs[(i - 1 + tabs.length) % tabs.length]);
    if (event.key === 'Home') selectTab(tabs[0]);
    if (event.key === 'End') selectTab(tabs[tabs.length - 1]);
  });
}

if (sessionStorage.getItem(KEY)) start().catch(() => signOut());
else $('api-key').focus();
