import type { FeedbackEvent, GroupEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';
import {
  adoptedOrAdapted,
  EVERYTHING,
  holderOf,
  outline,
  type DecisionRow,
  type FeedbackRow,
  type Outline,
  type ResponseRow,
} from './influence.outline.js';

/**
 * The influence ledger: every piece of lay feedback, what was said back,
 * which decisions it shaped (and which lay members were in the room), and
 * whether the loop was closed by reporting back. Facts keep both times, so
 * "what had become of this feedback by June 2014, as then recorded" is a query.
 *
 * The list "now" is kept as facts arrive: `inf_item` holds each item's
 * outline folded over all its facts (the list's own `outline`, re-run for the
 * one item an event touches), and tallies keyed by the item's holder (its
 * group, else its raising partner, else itself: what programme scope selects
 * by) and status add up what the counts and summaries need; `inf_citing`
 * counts each group's decisions whose cited items share one holder and
 * status (`inf_decision_keys.spread` marks the others, read one by one);
 * `inf_horizon` holds the latest business and record times folded in. A
 * tally that falls to nothing is deleted, so the rows are those a fold of
 * every item makes: a rebuild keeps only the facts per event and folds every
 * item once, after its last event (`bulkReplay`), to the same rows.
 */
export class InfluenceProjection implements Projection {
  readonly name = 'influence';
  readonly tables = [
    'inf_feedback',
    'inf_responses',
    'inf_decisions',
    'inf_citations',
    'inf_item',
    'inf_tally',
    'inf_tally_outcomes',
    'inf_tally_partner',
    'inf_tally_partner_all',
    'inf_decision_keys',
    'inf_citing',
    'inf_horizon',
  ] as const;
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
    CREATE TABLE IF NOT EXISTS inf_item (
      feedback_id TEXT PRIMARY KEY,
      heard_at    TEXT NOT NULL,
      channel     TEXT NOT NULL,
      group_id    TEXT,
      raised_by   TEXT,
      holder      TEXT NOT NULL,
      status      TEXT NOT NULL,
      first_days  INTEGER,
      report_days INTEGER,
      outcomes    TEXT NOT NULL,
      decisions   TEXT NOT NULL,
      adopted     INTEGER NOT NULL,
      cited       INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS inf_tally (
      holder     TEXT NOT NULL,
      status     TEXT NOT NULL,
      n          INTEGER NOT NULL,
      first_n    INTEGER NOT NULL,
      first_sum  INTEGER NOT NULL,
      report_n   INTEGER NOT NULL,
      report_sum INTEGER NOT NULL,
      PRIMARY KEY (holder, status)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS inf_tally_outcomes (
      holder  TEXT NOT NULL,
      outcome TEXT NOT NULL,
      n       INTEGER NOT NULL,
      PRIMARY KEY (holder, outcome)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS inf_tally_partner (
      raised_by TEXT NOT NULL,
      holder    TEXT NOT NULL,
      status    TEXT NOT NULL,
      n         INTEGER NOT NULL,
      adopted   INTEGER NOT NULL,
      cited     INTEGER NOT NULL,
      PRIMARY KEY (raised_by, holder, status)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS inf_tally_partner_all (
      raised_by TEXT NOT NULL,
      status    TEXT NOT NULL,
      n         INTEGER NOT NULL,
      adopted   INTEGER NOT NULL,
      cited     INTEGER NOT NULL,
      PRIMARY KEY (raised_by, status)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS inf_decision_keys (
      group_id    TEXT NOT NULL,
      decision_id TEXT NOT NULL,
      cites       TEXT NOT NULL,
      keys        TEXT NOT NULL,
      spread      INTEGER NOT NULL,
      PRIMARY KEY (group_id, decision_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS inf_citing (
      group_id TEXT NOT NULL,
      holder   TEXT NOT NULL,
      status   TEXT NOT NULL,
      n        INTEGER NOT NULL,
      PRIMARY KEY (group_id, holder, status)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS inf_horizon (
      id           INTEGER PRIMARY KEY CHECK (id = 1),
      occurred_max TEXT NOT NULL,
      recorded_max INTEGER NOT NULL
    );
  `;
  readonly indexes = `
    CREATE INDEX IF NOT EXISTS inf_item_heard ON inf_item (heard_at, feedback_id);
    CREATE INDEX IF NOT EXISTS inf_item_raised ON inf_item (raised_by, heard_at);
    CREATE INDEX IF NOT EXISTS inf_citations_group ON inf_citations (group_id, feedback_id);
    CREATE INDEX IF NOT EXISTS inf_tally_partner_holder ON inf_tally_partner (holder);
    CREATE INDEX IF NOT EXISTS inf_decision_keys_spread ON inf_decision_keys (spread)
      WHERE spread = 1;
  `;

  private db!: Database.Database;
  /** In a rebuild's replay: the facts only, folded at `finish`. */
  private bulk = false;
  private stmt!: {
    heard: Database.Statement;
    responded: Database.Statement;
    reported: Database.Statement;
    decided: Database.Statement;
    cite: Database.Statement;
    feedbackRow: Database.Statement<[string], FeedbackRow>;
    responsesOf: Database.Statement<[{ id: string; asOf: string; knownAt: number }], ResponseRow>;
    decisionsOf: Database.Statement<[{ id: string; asOf: string; knownAt: number }], DecisionRow>;
    itemOf: Database.Statement<[string], KeptItem>;
    saveItem: Database.Statement;
    tally: Database.Statement;
    outcome: Database.Statement;
    partner: Database.Statement;
    partnerAll: Database.Statement;
    decisionKeysOf: Database.Statement<[string, string], { cites: string; keys: string }>;
    newDecisionKeys: Database.Statement;
    saveDecisionKeys: Database.Statement;
    citing: Database.Statement;
    dropEmpty: Database.Statement[];
    dropEmptyPartner: Database.Statement[];
    dropEmptyCiting: Database.Statement;
    widenHorizon: Database.Statement;
  };

  prepare(db: Database.Database): void {
    this.db = db;
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
      feedbackRow: db.prepare('SELECT * FROM inf_feedback WHERE feedback_id = ?'),
      responsesOf: db.prepare(RESPONSES_OF),
      decisionsOf: db.prepare(DECISIONS_OF),
      itemOf: db.prepare('SELECT * FROM inf_item WHERE feedback_id = ?'),
      saveItem: db.prepare(
        'INSERT OR REPLACE INTO inf_item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      tally: db.prepare(`INSERT INTO inf_tally VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET n = n + excluded.n, first_n = first_n + excluded.first_n,
          first_sum = first_sum + excluded.first_sum, report_n = report_n + excluded.report_n,
          report_sum = report_sum + excluded.report_sum`),
      outcome: db.prepare(`INSERT INTO inf_tally_outcomes VALUES (?, ?, ?)
        ON CONFLICT DO UPDATE SET n = n + excluded.n`),
      partner: db.prepare(`INSERT INTO inf_tally_partner VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET n = n + excluded.n, adopted = adopted + excluded.adopted,
          cited = cited + excluded.cited`),
      partnerAll: db.prepare(`INSERT INTO inf_tally_partner_all VALUES (?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET n = n + excluded.n, adopted = adopted + excluded.adopted,
          cited = cited + excluded.cited`),
      decisionKeysOf: db.prepare(
        'SELECT cites, keys FROM inf_decision_keys WHERE group_id = ? AND decision_id = ?',
      ),
      newDecisionKeys: db.prepare(
        `INSERT OR IGNORE INTO inf_decision_keys VALUES (?, ?, ?, '[]', 0)`,
      ),
      saveDecisionKeys: db.prepare(
        'UPDATE inf_decision_keys SET keys = ?, spread = ? WHERE group_id = ? AND decision_id = ?',
      ),
      citing: db.prepare(`INSERT INTO inf_citing VALUES (?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET n = n + excluded.n`),
      dropEmpty: [
        db.prepare('DELETE FROM inf_tally WHERE holder = ? AND status = ? AND n = 0'),
        db.prepare('DELETE FROM inf_tally_outcomes WHERE holder = ? AND outcome = ? AND n = 0'),
      ],
      dropEmptyPartner: [
        db.prepare(
          'DELETE FROM inf_tally_partner WHERE raised_by = ? AND holder = ? AND status = ? AND n = 0',
        ),
        db.prepare(
          'DELETE FROM inf_tally_partner_all WHERE raised_by = ? AND status = ? AND n = 0',
        ),
      ],
      dropEmptyCiting: db.prepare(
        'DELETE FROM inf_citing WHERE group_id = ? AND holder = ? AND status = ? AND n = 0',
      ),
      widenHorizon: db.prepare(`INSERT INTO inf_horizon VALUES (1, ?, ?)
        ON CONFLICT (id) DO UPDATE SET occurred_max = max(occurred_max, excluded.occurred_max),
          recorded_max = max(recorded_max, excluded.recorded_max)`),
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
        if (!this.bulk) this.refresh(d.feedbackId);
        this.stmt.widenHorizon.run(d.occurredAt, at);
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
        if (!this.bulk) this.refresh(d.feedbackId);
        this.stmt.widenHorizon.run(d.occurredAt, at);
        return;
      }
      case 'FeedbackReportedBack': {
        const d = event.data;
        this.stmt.reported.run(d.occurredAt, d.how, at, d.feedbackId);
        if (!this.bulk) this.refresh(d.feedbackId);
        this.stmt.widenHorizon.run(d.occurredAt, at);
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
        this.stmt.newDecisionKeys.run(d.groupId, d.decisionId, JSON.stringify(d.influencedBy));
        if (!this.bulk) {
          for (const feedbackId of d.influencedBy) this.refresh(feedbackId);
          this.refreshDecision(d.groupId, d.decisionId);
        }
        this.stmt.widenHorizon.run(d.occurredAt, at);
        return;
      }
      default:
        return;
    }
  }

  bulkReplay(phase: 'start' | 'finish' | 'abandon'): void {
    this.bulk = phase === 'start';
    if (phase === 'finish') this.foldAll();
    // What the failed replay committed is kept: its items too, so that live events move them.
    if (phase === 'abandon') this.db.transaction(() => this.foldAll())();
  }

  /**
   * Every item, from the facts a replay kept, with the same `outline` and
   * tallies `apply` uses per item; then every decision's keys. Streamed: the
   * items are read one at a time in `feedback_id` order (its primary key),
   * each with its responses and citing decisions read by the same per-item
   * statements `refresh` uses (on their primary keys), folded, written and
   * dropped before the next; so the memory a rebuild takes stays flat in the
   * log's length. Writing while a read is open on the same connection takes
   * better-sqlite3's unsafe mode: the writes go to other tables than the one
   * read, but for the decisions' keys, whose rows are updated in place (same
   * key) as they are read.
   */
  private foldAll(): void {
    this.db.exec(`
      DELETE FROM inf_item;
      DELETE FROM inf_tally;
      DELETE FROM inf_tally_outcomes;
      DELETE FROM inf_tally_partner;
      DELETE FROM inf_tally_partner_all;
      DELETE FROM inf_citing;
      UPDATE inf_decision_keys SET keys = '[]', spread = 0;
    `);
    const items = this.db.prepare<[], FeedbackRow>(
      'SELECT * FROM inf_feedback ORDER BY feedback_id',
    );
    const decisionKeys = this.db.prepare<[], { group_id: string; decision_id: string }>(
      'SELECT group_id, decision_id FROM inf_decision_keys ORDER BY group_id, decision_id',
    );
    this.db.unsafeMode(true);
    try {
      for (const row of items.iterate()) {
        const at = { ...EVERYTHING, id: row.feedback_id };
        this.save(
          keptItem(
            outline(row, EVERYTHING, this.stmt.responsesOf.all(at), this.stmt.decisionsOf.all(at)),
          ),
        );
      }
      for (const { group_id, decision_id } of decisionKeys.iterate())
        this.refreshDecision(group_id, decision_id);
    } finally {
      this.db.unsafeMode(false);
    }
  }

  /**
   * Folds one item again from all its facts (the list's `outline`) and moves
   * its share of the tallies from what it was to what it is; then the
   * decisions citing it. Folding the same facts again changes nothing.
   */
  private refresh(feedbackId: string): void {
    const old = this.stmt.itemOf.get(feedbackId);
    const row = this.stmt.feedbackRow.get(feedbackId);
    const at = { ...EVERYTHING, id: feedbackId };
    const now = row
      ? keptItem(
          outline(row, EVERYTHING, this.stmt.responsesOf.all(at), this.stmt.decisionsOf.all(at)),
        )
      : undefined;
    if (old && now && sameItem(old, now)) return;
    if (now) this.save(now);
    if (old) this.contribute(old, -1);
    const decisions = new Set<string>();
    for (const item of [old, now])
      if (item)
        for (const pair of JSON.parse(item.decisions) as Array<[string, string]>)
          decisions.add(JSON.stringify(pair));
    for (const pair of decisions) {
      const [groupId, decisionId] = JSON.parse(pair) as [string, string];
      this.refreshDecision(groupId, decisionId);
    }
  }

  /** Keeps an item's row and adds its share to the tallies. */
  private save(now: KeptItem): void {
    this.contribute(now, 1);
    this.stmt.saveItem.run(
      now.feedback_id,
      now.heard_at,
      now.channel,
      now.group_id,
      now.raised_by,
      now.holder,
      now.status,
      now.first_days,
      now.report_days,
      now.outcomes,
      now.decisions,
      now.adopted,
      now.cited,
    );
  }

  private contribute(item: KeptItem, sign: 1 | -1): void {
    const first = item.first_days === null ? 0 : 1;
    const report = item.report_days === null ? 0 : 1;
    this.stmt.tally.run(
      item.holder,
      item.status,
      sign,
      sign * first,
      sign * (item.first_days ?? 0),
      sign * report,
      sign * (item.report_days ?? 0),
    );
    const outcomes = JSON.parse(item.outcomes) as string[];
    for (const outcome of outcomes) this.stmt.outcome.run(item.holder, outcome, sign);
    if (item.raised_by !== null) {
      const [adopted, cited] = [sign * item.adopted, sign * item.cited];
      this.stmt.partner.run(item.raised_by, item.holder, item.status, sign, adopted, cited);
      this.stmt.partnerAll.run(item.raised_by, item.status, sign, adopted, cited);
    }
    if (sign === 1) return;
    // A tally the item leaves empty goes, as a fold of every item never makes it.
    this.stmt.dropEmpty[0]!.run(item.holder, item.status);
    for (const outcome of outcomes) this.stmt.dropEmpty[1]!.run(item.holder, outcome);
    if (item.raised_by !== null) {
      this.stmt.dropEmptyPartner[0]!.run(item.raised_by, item.holder, item.status);
      this.stmt.dropEmptyPartner[1]!.run(item.raised_by, item.status);
    }
  }

  /**
   * A decision's cited items known now, by holder and status: a decision
   * whose items share one holder and status counts once in `inf_citing`;
   * one spread over several is marked `spread` and read on its own.
   */
  private refreshDecision(groupId: string, decisionId: string): void {
    const row = this.stmt.decisionKeysOf.get(groupId, decisionId);
    if (!row) return;
    const keys = new Set<string>();
    for (const feedbackId of JSON.parse(row.cites) as string[]) {
      const item = this.stmt.itemOf.get(feedbackId);
      if (item) keys.add(JSON.stringify([item.holder, item.status]));
    }
    const now = JSON.stringify([...keys].sort().map((k) => JSON.parse(k) as [string, string]));
    if (now === row.keys) return;
    const old = JSON.parse(row.keys) as Array<[string, string]>;
    if (old.length === 1) {
      this.stmt.citing.run(groupId, old[0]![0], old[0]![1], -1);
      this.stmt.dropEmptyCiting.run(groupId, old[0]![0], old[0]![1]);
    }
    if (keys.size === 1) {
      const [holder, status] = JSON.parse([...keys][0]!) as [string, string];
      this.stmt.citing.run(groupId, holder, status, 1);
    }
    this.stmt.saveDecisionKeys.run(now, keys.size > 1 ? 1 : 0, groupId, decisionId);
  }
}

/** An item's responses known at a time point, first responded first (the list reads them so). */
export const RESPONSES_OF = `SELECT * FROM inf_responses WHERE feedback_id = @id
  AND responded_at <= @asOf AND recorded_at <= @knownAt ORDER BY responded_at, response_id`;
/** The decisions citing an item known at a time point, first decided first. */
export const DECISIONS_OF = `SELECT c.feedback_id AS cited_feedback_id, d.*
  FROM inf_citations c JOIN inf_decisions d
  ON d.group_id = c.group_id AND d.decision_id = c.decision_id
  WHERE c.feedback_id = @id AND d.decided_at <= @asOf AND d.recorded_at <= @knownAt
  ORDER BY d.decided_at, c.group_id, c.decision_id`;

/** A row of `inf_item`: an item's outline now. */
export interface KeptItem {
  feedback_id: string;
  heard_at: string;
  channel: string;
  group_id: string | null;
  raised_by: string | null;
  holder: string;
  status: Outline['status'];
  first_days: number | null;
  report_days: number | null;
  /** Its responses' outcomes, JSON, in order. */
  outcomes: string;
  /** The [groupId, decisionId] of each decision citing it, JSON, in order. */
  decisions: string;
  adopted: number;
  cited: number;
}

export function keptItem(o: Outline): KeptItem {
  return {
    feedback_id: o.feedbackId,
    heard_at: o.heardAt,
    channel: o.channel,
    group_id: o.groupId,
    raised_by: o.raisedBy,
    holder: holderOf(o),
    status: o.status,
    first_days: o.daysToFirstResponse,
    report_days: o.daysToReportBack,
    outcomes: JSON.stringify(o.responses.map((r) => r.outcome)),
    decisions: JSON.stringify(o.decisions.map((d) => [d.groupId, d.decisionId])),
    adopted: adoptedOrAdapted(o) ? 1 : 0,
    cited: o.decisions.length > 0 ? 1 : 0,
  };
}

/** The outline a kept row holds (what counts, summaries and filters need). */
export function outlineOf(k: KeptItem): Outline {
  return {
    feedbackId: k.feedback_id,
    heardAt: k.heard_at,
    channel: k.channel,
    groupId: k.group_id,
    raisedBy: k.raised_by,
    status: k.status,
    responses: (JSON.parse(k.outcomes) as string[]).map((outcome) => ({ outcome })),
    decisions: (JSON.parse(k.decisions) as Array<[string, string]>).map(
      ([groupId, decisionId]) => ({ groupId, decisionId }),
    ),
    daysToFirstResponse: k.first_days,
    daysToReportBack: k.report_days,
  };
}

const sameItem = (a: KeptItem, b: KeptItem): boolean =>
  (Object.keys(b) as Array<keyof KeptItem>).every((key) => a[key] === b[key]);
