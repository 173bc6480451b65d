import type { FeedbackEvent, GroupEvent, ProgrammeEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';
import { storyColumns } from './response-clock.queries.js';
import { emptyStory, foldStep, type StepRow, type Story } from './response-clock.story.js';

/** A step of a feedback item's clock. */
export type ClockStep = 'heard' | 'responded' | 'decided' | 'reported';

/**
 * The response clock: one row per step a piece of feedback went through
 * (heard, each response, each decision citing it, reported back) with its
 * business date, the time the ledger learnt it and its position in `$all`,
 * so every figure of the report names the events behind it; and the
 * programme's response targets as set over time. A read scans the steps once
 * (as of a date, as known at a time) instead of asking per item.
 * `clk_items` keeps each item's story as its steps arrive (one row an item,
 * folded per event with the same `foldStep` a read folds steps with; beside
 * it the columns a "now" read judges and summarises: where heard, the latest
 * outcome, the days to each step reached), and
 * `clk_horizon` the latest business and record times folded in, so a read
 * whose time point sees every step (the usual "now") reads one row an item.
 * A rebuild keeps only the steps per event and folds every item once, after
 * its last event (`bulkReplay`), to the same rows.
 */
export class ResponseClockProjection implements Projection {
  readonly name = 'response-clock';
  readonly tables = ['clk_steps', 'clk_targets', 'clk_items', 'clk_horizon'] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS clk_steps (
      position     INTEGER NOT NULL,
      feedback_id  TEXT NOT NULL,
      step         TEXT NOT NULL,
      at           TEXT NOT NULL,
      recorded_at  INTEGER NOT NULL,
      channel      TEXT,
      group_id     TEXT,
      raised_by    TEXT,
      outcome      TEXT,
      ref_id       TEXT,
      PRIMARY KEY (position, feedback_id)
    );
    CREATE TABLE IF NOT EXISTS clk_targets (
      position             INTEGER PRIMARY KEY,
      programme_id         TEXT NOT NULL,
      first_response_days  INTEGER,
      report_back_days     INTEGER,
      set_at               TEXT NOT NULL,
      recorded_at          INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS clk_items (
      feedback_id        TEXT PRIMARY KEY,
      heard_at           TEXT,
      heard_ms           INTEGER,
      heard_position     INTEGER,
      channel            TEXT,
      group_id           TEXT,
      raised_by          TEXT,
      decision_groups    TEXT NOT NULL,
      outcome            TEXT,
      to_first_response  INTEGER,
      to_decision        INTEGER,
      to_report_back     INTEGER,
      -- The $all positions of the steps behind the days (GRIPP2's evidence reads only these).
      first_response_position INTEGER,
      decision_position       INTEGER,
      reported_position       INTEGER,
      story              TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS clk_horizon (
      id           INTEGER PRIMARY KEY CHECK (id = 1),
      occurred_max TEXT NOT NULL,
      recorded_max INTEGER NOT NULL
    );
  `;
  readonly indexes = `
    -- Covers a "now" read (every column it judges, in the order heard): the stories stay in the table.
    CREATE INDEX IF NOT EXISTS clk_items_heard ON clk_items (heard_at, heard_position, feedback_id,
      heard_ms, channel, group_id, raised_by, decision_groups, outcome, to_first_response,
      to_decision, to_report_back, first_response_position, decision_position, reported_position)
      WHERE heard_at IS NOT NULL;
  `;

  private db!: Database.Database;
  /** In a rebuild's replay: the steps only, folded at `finish`. */
  private bulk = false;
  private stmt!: {
    step: Database.Statement;
    target: Database.Statement;
    storyOf: Database.Statement<[string], { story: string }>;
    saveStory: Database.Statement;
    widenHorizon: Database.Statement;
  };

  prepare(db: Database.Database): void {
    this.db = db;
    this.stmt = {
      step: db.prepare('INSERT OR IGNORE INTO clk_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      target: db.prepare('INSERT OR IGNORE INTO clk_targets VALUES (?, ?, ?, ?, ?, ?)'),
      storyOf: db.prepare('SELECT story FROM clk_items WHERE feedback_id = ?'),
      saveStory: db.prepare(
        'INSERT OR REPLACE INTO clk_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      widenHorizon: db.prepare(`INSERT INTO clk_horizon VALUES (1, ?, ?)
        ON CONFLICT (id) DO UPDATE SET occurred_max = max(occurred_max, excluded.occurred_max),
          recorded_max = max(recorded_max, excluded.recorded_max)`),
    };
  }

  bulkReplay(phase: 'start' | 'finish' | 'abandon'): void {
    this.bulk = phase === 'start';
    if (phase === 'finish') this.foldAll();
    // What the failed replay committed is kept: its items too, so that live steps fold onto them.
    if (phase === 'abandon') this.db.transaction(() => this.foldAll())();
  }

  /**
   * Every item, from the steps a replay kept, in the order they came (`$all`
   * order) with the same `foldStep`; the horizon from the same steps.
   * Streamed: the steps are read in `(feedback_id, position)` order (an index
   * made here, once, before the read: one sort, not an insert per step) and
   * each item's story is written and dropped as the next item's first step
   * arrives, so the memory a rebuild takes stays flat in the log's length.
   * Writing `clk_items` while `clk_steps` is read on the same connection
   * takes better-sqlite3's unsafe mode (the read table is not written).
   */
  private foldAll(): void {
    this.db.exec(`DELETE FROM clk_items; DELETE FROM clk_horizon;
      CREATE INDEX IF NOT EXISTS clk_steps_item ON clk_steps (feedback_id, position);`);
    const steps = this.db.prepare<[], StepRow>(
      `SELECT position, feedback_id, step, at, channel, group_id, raised_by, outcome, ref_id
       FROM clk_steps ORDER BY feedback_id, position`,
    );
    let story: Story | null = null;
    this.db.unsafeMode(true);
    try {
      for (const row of steps.iterate()) {
        if (story?.feedbackId !== row.feedback_id) {
          if (story) this.save(story);
          story = emptyStory(row.feedback_id);
        }
        foldStep(story, row);
      }
    } finally {
      this.db.unsafeMode(false);
    }
    if (story) this.save(story);
    this.db.exec(`INSERT INTO clk_horizon SELECT 1, max(at), max(recorded_at) FROM clk_steps
      HAVING count(*) > 0`);
  }

  /** Folds a step into its item's kept story (idempotent, in any order). */
  private keep(row: StepRow, recordedAt: number): void {
    const stored = this.stmt.storyOf.get(row.feedback_id);
    const story = stored ? (JSON.parse(stored.story) as Story) : emptyStory(row.feedback_id);
    foldStep(story, row);
    this.save(story);
    this.stmt.widenHorizon.run(row.at, recordedAt);
  }

  private save(story: Story): void {
    const c = storyColumns(story);
    this.stmt.saveStory.run(
      story.feedbackId,
      c.heardAt,
      c.heardMs,
      c.heardPosition,
      c.channel,
      c.groupId,
      c.raisedBy,
      c.decisionGroups,
      c.outcome,
      c.toFirstResponse,
      c.toDecision,
      c.toReportBack,
      c.firstResponsePosition,
      c.decisionPosition,
      c.reportedPosition,
      JSON.stringify(story),
    );
  }

  apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as
      FeedbackEvent | GroupEvent | ProgrammeEvent;
    const at = recorded.recordedAt.getTime();
    const position = Number(recorded.position);
    const step = (
      feedbackId: string,
      kind: ClockStep,
      occurredAt: string,
      extra: { channel?: string; groupId?: string | null; raisedBy?: string | null } & {
        outcome?: string;
        refId?: string;
      } = {},
    ) => {
      const row: StepRow = {
        position,
        feedback_id: feedbackId,
        step: kind,
        at: occurredAt,
        channel: extra.channel ?? null,
        group_id: extra.groupId ?? null,
        raised_by: extra.raisedBy ?? null,
        outcome: extra.outcome ?? null,
        ref_id: extra.refId ?? null,
      };
      this.stmt.step.run(
        position,
        feedbackId,
        kind,
        occurredAt,
        at,
        row.channel,
        row.group_id,
        row.raised_by,
        row.outcome,
        row.ref_id,
      );
      if (!this.bulk) this.keep(row, at);
    };
    switch (event.type) {
      case 'FeedbackHeard': {
        const d = event.data;
        step(d.feedbackId, 'heard', d.occurredAt, {
          channel: d.channel,
          groupId: d.groupId,
          raisedBy: d.raisedBy,
        });
        return;
      }
      case 'FeedbackResponded': {
        const d = event.data;
        step(d.feedbackId, 'responded', d.occurredAt, { outcome: d.outcome, refId: d.responseId });
        return;
      }
      case 'FeedbackReportedBack': {
        const d = event.data;
        step(d.feedbackId, 'reported', d.occurredAt);
        return;
      }
      case 'DecisionRecorded': {
        const d = event.data;
        for (const feedbackId of d.influencedBy)
          step(feedbackId, 'decided', d.occurredAt, { groupId: d.groupId, refId: d.decisionId });
        return;
      }
      case 'ResponseTargetsSet': {
        const d = event.data;
        this.stmt.target.run(
          position,
          d.programmeId,
          d.firstResponseDays,
          d.reportBackDays,
          d.occurredAt,
          at,
        );
        return;
      }
      default:
        return;
    }
  }
}
