import type { FeedbackEvent, GroupEvent, ProgrammeEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';

/** A step of a feedback item's clock. */
export type ClockStep = 'heard' | 'responded' | 'decided' | 'reported';

/**
 * The response clock: one row per step a piece of feedback went through
 * (heard, each response, each decision citing it, reported back) with its
 * business date, the time the ledger learnt it and its position in `$all`,
 * so every figure of the report names the events behind it; and the
 * programme's response targets as set over time. A read scans the steps once
 * (as of a date, as known at a time) instead of asking per item.
 */
export class ResponseClockProjection implements Projection {
  readonly name = 'response-clock';
  readonly tables = ['clk_steps', 'clk_targets'] as const;
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
  `;
  readonly indexes = '';

  private stmt!: { step: Database.Statement; target: Database.Statement };

  prepare(db: Database.Database): void {
    this.stmt = {
      step: db.prepare('INSERT OR IGNORE INTO clk_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      target: db.prepare('INSERT OR IGNORE INTO clk_targets VALUES (?, ?, ?, ?, ?, ?)'),
    };
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
    ) =>
      this.stmt.step.run(
        position,
        feedbackId,
        kind,
        occurredAt,
        at,
        extra.channel ?? null,
        extra.groupId ?? null,
        extra.raisedBy ?? null,
        extra.outcome ?? null,
        extra.refId ?? null,
      );
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
