// Replay: step through the programme's log and watch the structure change,
// each event with its plain-language line (from the timeline route); the
// structure at each step is the ledger replayed to that position.
import { $, el } from '../lib/dom.js';
import { longDate } from '../lib/format.js';
import { structure } from './governance.js';

// `run` tells one press of Play from the next: a pause and a quick replay never run two loops.
const replay = { index: null, timer: null, run: 0 };

/** How long a step shows while playing. */
const STEP_MS = 1500;

async function show(context) {
  const { state, ticket, api } = context;
  const lines = state.lines;
  if (lines.length === 0) {
    $('replay-line').textContent = 'Nothing recorded for this programme yet.';
    $('replay').replaceChildren();
    return;
  }
  replay.index = Math.min(Math.max(replay.index ?? 0, 0), lines.length - 1);
  const line = lines[replay.index];
  const current = ticket('replay');
  $('replay-line').textContent =
    `Event ${replay.index + 1} of ${lines.length} (position ${line.position}), ${longDate(line.occurredAt)}: ${line.line}`;
  $('replay-back').disabled = replay.index === 0;
  $('replay-first').disabled = replay.index === 0;
  $('replay-forward').disabled = replay.index === lines.length - 1;
  $('replay-last').disabled = replay.index === lines.length - 1;
  const answer = await api('/v1/replay', { until: String(line.position) });
  if (!current()) return;
  // The replay holds every programme's groups: this programme's are shown.
  const ids = new Set(state.groups.map((g) => g.groupId));
  const groups = answer.groups.filter((g) => ids.has(g.groupId));
  $('replay').replaceChildren(
    el(
      'p',
      { class: 'summary', 'data-groups': String(groups.length) },
      `${groups.length} groups after this event.`,
    ),
    structure(groups, { compact: true }),
  );
  // The group this event touched, marked in words as well as by its outline.
  const touched = line.stream.startsWith('group-') ? line.stream.slice('group-'.length) : null;
  const box = touched && $('replay').querySelector(`article[data-group="${CSS.escape(touched)}"]`);
  if (box) {
    box.classList.add('changed');
    box.append(el('p', { class: 'changed-note' }, 'Changed by this event'));
  }
}

/** Stops playing (on Pause, a step, or leaving the view). */
export function stop() {
  replay.run++;
  clearTimeout(replay.timer);
  replay.timer = null;
  $('replay-play').textContent = 'Play';
  $('replay-play').setAttribute('aria-pressed', 'false');
}

async function play(context, run) {
  if (replay.timer === null || run !== replay.run) return;
  if (replay.index >= context.state.lines.length - 1) return stop();
  replay.index++;
  await show(context);
  if (replay.timer !== null && run === replay.run)
    replay.timer = setTimeout(() => void play(context, run), STEP_MS);
}

export function renderReplay(context) {
  return show(context);
}

export function replayControls(context) {
  const move = (to) => () => {
    stop();
    replay.index = to(replay.index ?? 0, context.state.lines.length);
    void show(context).catch((error) => ($('replay-line').textContent = error.message));
  };
  $('replay-first').addEventListener(
    'click',
    move(() => 0),
  );
  $('replay-back').addEventListener(
    'click',
    move((i) => i - 1),
  );
  $('replay-forward').addEventListener(
    'click',
    move((i) => i + 1),
  );
  $('replay-last').addEventListener(
    'click',
    move((_, n) => n - 1),
  );
  $('replay-play').addEventListener('click', () => {
    if (replay.timer !== null) return stop();
    $('replay-play').textContent = 'Pause';
    $('replay-play').setAttribute('aria-pressed', 'true');
    const run = ++replay.run;
    replay.timer = setTimeout(() => void play(context, run), 0);
  });
}
