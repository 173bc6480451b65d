import type { FeedbackEvent, GroupEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';

/**
 * The influence ledger: every piece of lay feedback, what was said back,
 * which decisions it shaped (and which lay members were in the room), and
 * whether the loop was closed by reporting back. Facts keep both times, so
 * "what had become of this feedback by June 2014, as then recorded" is a query.
 */
export class InfluenceProjection implements Projection {
  readonly name = 'influence';
  readonly tables = ['inf_feedback', 'inf_responses', 'inf_decisions', 'inf_citations'] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS inf_feedback (
      feedback_id         TEXT PRIMARY KEY,
      channel             TEXT NOT NULL,
      kind                TEXT NOT NULL,
      summary             TEXT NOT NULL,
      group_id            TEXT,
      raised_by           TEXT,
      heard_at            TEXT NOT NULL,
      heard_recorded_at   INTEGER NOT NULL,
      reported_back_at    TEXT,
      reported_back_how   TEXT,
      reported_recorded_at INTEGER
    );
    CREATE TABLE IF NOT EXISTS inf_responses (
      feedback_id   TEXT NOT NULL,
      response_id   TEXT NOT NULL,
      outcome       TEXT NOT NULL,
      rationale     TEXT,
      decision_id   TEXT,
      responded_by  TEXT NOT NULL,
      responded_at  TEXT NOT NULL,
      recorded_at   INTEGER NOT NULL,
      PRIMARY KEY (feedback_id, response_id)
    );
    CREATE TABLE IF NOT EXISTS inf_decisions (
      group_id            TEXT NOT NULL,
      decision_id         TEXT NOT NULL,
      summary             TEXT NOT NULL,
      lay_members_present TEXT NOT NULL,
      touchstone_version  INTEGER,
      decided_at          TEXT NOT NULL,
      recorded_at         INTEGER NOT NULL,
      PRIMARY KEY (group_id, decision_id)
    );
    CREATE TABLE IF NOT EXISTS inf_citations (
      feedback_id TEXT NOT NULL,
      group_id    TEXT NOT NULL,
      decision_id TEXT NOT NULL,
      PRIMARY KEY (feedback_id, group_id, decision_id)
    );
  `;
  readonly indexes = '';

  private stmt!: {
    heard: Database.Statement;
    responded: Database.Statement;
    reported: Database.Statement;
    decided: Database.Statement;
    cite: Database.Statement;
  };

  prepare(db: Database.Database): void {
    this.stmt = {
      heard: db.prepare(`INSERT OR IGNORE INTO inf_feedback
        (feedback_id, channel, kind, summary, group_id, raised_by, heard_at, heard_recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      responded: db.prepare(`INSERT OR IGNORE INTO inf_responses VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      reported: db.prepare(`UPDATE inf_feedback
        SET reported_back_at = ?, reported_back_how = ?, reported_recorded_at = ?
        WHERE feedback_id = ? AND reported_back_at IS NULL`),
      decided: db.prepare(`INSERT OR IGNORE INTO inf_decisions VALUES (?, ?, ?, ?, ?, ?, ?)`),
      cite: db.prepare(`INSERT OR IGNORE INTO inf_citations VALUES (?, ?, ?)`),
    };
  }

  apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as FeedbackEvent | GroupEvent;
    const at = recorded.recordedAt.getTime();
    switch (event.type) {
      case 'FeedbackHeard': {
        const d = event.data;
        this.stmt.heard.run(
          d.feedbackId,
          d.channel,
          d.kind,
          d.summary,
          d.groupId,
          d.raisedBy,
          d.occurredAt,
          at,
        );
        return;
      }
      case 'FeedbackResponded': {
        const d = event.data;
        this.stmt.responded.run(
          d.feedbackId,
          d.responseId,
          d.outcome,
          d.rationale,
          d.decisionId,
          d.respondedBy,
          d.occurredAt,
          at,
        );
        return;
      }
      case 'FeedbackReportedBack': {
        const d = event.data;
        this.stmt.reported.run(d.occurredAt, d.how, at, d.feedbackId);
        return;
      }
      case 'DecisionRecorded': {
        const d = event.data;
        this.stmt.decided.run(
          d.groupId,
          d.decisionId,
          d.summary,
          JSON.stringify(d.layMembersPresent),
          d.touchstoneVersion,
          d.occurredAt,
          at,
        );
        for (const feedbackId of d.influencedBy)
          this.stmt.cite.run(feedbackId, d.groupId, d.decisionId);
        return;
      }
      default:
        return;
    }
  }
}
