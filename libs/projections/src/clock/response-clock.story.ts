import type { ClockStep } from './response-clock.projection.js';

/** One step of a feedback item as `clk_steps` keeps it. */
export interface StepRow {
  position: number;
  feedback_id: string;
  step: ClockStep;
  at: string;
  channel: string | null;
  group_id: string | null;
  raised_by: string | null;
  outcome: string | null;
  ref_id: string | null;
}

/**
 * What the clock needs of one item's steps: the first heard, the first and
 * latest response, the first decision citing it (and every citing decision's
 * group, for programme scope) and the first report back, each first or latest
 * in business order, then `$all` order.
 */
export interface Story {
  feedbackId: string;
  heard: StepRow | null;
  firstResponse: StepRow | null;
  latestResponse: StepRow | null;
  decision: StepRow | null;
  /** The groups of the decisions citing it, distinct, sorted. */
  decisionGroups: string[];
  reported: StepRow | null;
}

export const emptyStory = (feedbackId: string): Story => ({
  feedbackId,
  heard: null,
  firstResponse: null,
  latestResponse: null,
  decision: null,
  decisionGroups: [],
  reported: null,
});

/** Business order, then `$all` order. */
const before = (a: StepRow, b: StepRow): boolean =>
  a.at < b.at || (a.at === b.at && a.position < b.position);
const first = (kept: StepRow | null, row: StepRow) => (kept && !before(row, kept) ? kept : row);
const latest = (kept: StepRow | null, row: StepRow) => (kept && !before(kept, row) ? kept : row);

/**
 * Folds one step into `story` (mutated): the same fold runs per event in the
 * projection (the items now, kept as steps arrive) and over the steps known
 * at a time point. Firsts and latests by (business date, position), so the
 * order the steps come in does not matter, and folding a step twice changes
 * nothing.
 */
export function foldStep(story: Story, row: StepRow): void {
  switch (row.step) {
    case 'heard':
      story.heard = first(story.heard, row);
      return;
    case 'responded':
      story.firstResponse = first(story.firstResponse, row);
      story.latestResponse = latest(story.latestResponse, row);
      return;
    case 'decided': {
      story.decision = first(story.decision, row);
      const groupId = row.group_id ?? '';
      if (!story.decisionGroups.includes(groupId))
        story.decisionGroups = [...story.decisionGroups, groupId].sort();
      return;
    }
    case 'reported':
      story.reported = first(story.reported, row);
      return;
  }
}

/** Each item heard, from its steps (in any order), in the order heard (then `$all` order). */
export function gather(rows: Iterable<StepRow>): Array<Story & { heard: StepRow }> {
  const stories = new Map<string, Story>();
  for (const row of rows) {
    let story = stories.get(row.feedback_id);
    if (!story) stories.set(row.feedback_id, (story = emptyStory(row.feedback_id)));
    foldStep(story, row);
  }
  return [...stories.values()]
    .filter((s): s is Story & { heard: StepRow } => s.heard !== null)
    .sort((a, b) =>
      before(a.heard, b.heard)
        ? -1
        : before(b.heard, a.heard)
          ? 1
          : a.feedbackId < b.feedbackId
            ? -1
            : 1,
    );
}
