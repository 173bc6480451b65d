import type { ProgrammeEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';
import {
  COST_FACT_TYPES,
  COST_TERM_TYPES,
  countAttendance,
  countFact,
  emptyPartnerCost,
  foldPartnerCost,
  partnerCostFromStore,
  RoleLevels,
  storedPartnerCost,
  termChangesNothing,
  type StoredPartnerCost,
  type CostAttendanceRow,
  type CostFactRow,
  type PartnerCost,
} from './involvement-cost.js';
import {
  countMeeting,
  emptyPair,
  foldParticipation,
  type AttendanceRow,
  type MeetingRow,
  type SeatRow,
  isEmptyPair,
  type PairTally,
  type TallyHorizon,
} from './participation.js';

export interface StoredPairRow {
  group_id: string;
  partner_id: string;
  seated: number;
  attended: number;
  apologies: number;
  missed: number;
  minutes: number;
  months: string;
}

export const pairFromStore = (row: StoredPairRow): PairTally => ({
  seated: row.seated,
  attended: row.attended,
  apologies: row.apologies,
  missed: row.missed,
  minutes: row.minutes,
  months: JSON.parse(row.months) as Record<string, number>,
});

type Data = Record<string, unknown>;
const people = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const COST_FACTS = new Set(COST_FACT_TYPES);

/**
 * What reports need beyond partners, groups and meetings: the programme's
 * boroughs (borough coverage), with both times; and the sums of the
 * participation and involvement-cost reports over the whole record, kept
 * per event (ADR 0014). Participation: per group its meetings and minutes
 * (`rep_part_groups`), per partner and group the meetings while seated,
 * attended, apologies, missed and minutes by month (`rep_part_pairs`): a
 * meeting counts for the partners seated on its date or named in it; a
 * seat's start or end, backdated or recorded late, recounts that partner on
 * that group from the group's meetings. Involvement cost: per partner the
 * tallies by month and role level, the positions counted and payments in
 * other currencies (`rep_cost_partners`), from their meetings attended and
 * facts (`rep_cost_attendance`, `rep_cost_facts`, kept by partner): a
 * meeting adds to its attendees; a term, claim, settlement or payment is
 * counted onto the partner's sums when it comes in business-time order, else
 * refolds that partner. A rebuild folds everything once, after its last
 * event (`bulkReplay`), to the same rows. `rep_tally_horizon` holds the latest business and
 * record time folded in: a read whose time point sees both uses the sums,
 * any other folds the facts known then with the same functions.
 */
export class ReportsProjection implements Projection {
  readonly name = 'reports';
  readonly tables = [
    'rep_programmes',
    'rep_part_groups',
    'rep_part_pairs',
    'rep_cost_attendance',
    'rep_cost_facts',
    'rep_cost_partners',
    'rep_tally_horizon',
  ] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS rep_programmes (
      programme_id TEXT PRIMARY KEY,
      name         TEXT NOT NULL,
      boroughs     TEXT NOT NULL,
      launched_at  TEXT NOT NULL,
      recorded_at  INTEGER NOT NULL,
      position     INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rep_part_groups (
      group_id TEXT PRIMARY KEY,
      meetings INTEGER NOT NULL,
      minutes  INTEGER NOT NULL,
      held_max TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS rep_part_pairs (
      group_id   TEXT NOT NULL,
      partner_id TEXT NOT NULL,
      seated     INTEGER NOT NULL,
      attended   INTEGER NOT NULL,
      apologies  INTEGER NOT NULL,
      missed     INTEGER NOT NULL,
      minutes    INTEGER NOT NULL,
      months     TEXT NOT NULL,
      PRIMARY KEY (group_id, partner_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS rep_cost_attendance (
      partner_id       TEXT NOT NULL,
      position         INTEGER NOT NULL,
      group_id         TEXT NOT NULL,
      held_at          TEXT NOT NULL,
      duration_minutes INTEGER NOT NULL,
      PRIMARY KEY (partner_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS rep_cost_facts (
      partner_id  TEXT NOT NULL,
      position    INTEGER NOT NULL,
      type        TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      detail      TEXT NOT NULL,
      PRIMARY KEY (partner_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS rep_cost_partners (
      partner_id TEXT PRIMARY KEY,
      cells      TEXT NOT NULL,
      evidence   TEXT NOT NULL,
      other      TEXT NOT NULL,
      claims     TEXT NOT NULL,
      levels_to  INTEGER,
      facts_to   TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS rep_tally_horizon (
      id           INTEGER PRIMARY KEY CHECK (id = 1),
      occurred_max TEXT NOT NULL,
      recorded_max INTEGER NOT NULL,
      position_max INTEGER NOT NULL
    );
  `;
  readonly indexes = '';

  private insertProgramme!: Database.Statement;
  private db!: Database.Database;
  /** In a rebuild's replay: the sums are folded once, after the last event. */
  private bulk = false;
  private stmt!: {
    horizon: Database.Statement<[], TallyHorizon>;
    widen: Database.Statement;
    meeting: Database.Statement<
      [string, string],
      { held_at: string; duration_minutes: number; position: number }
    >;
    presence: Database.Statement<[string, string], { partner_id: string; presence: string }>;
    seatedAt: Database.Statement<[string, string, string], { partner_id: string }>;
    addGroup: Database.Statement;
    heldMax: Database.Statement<[string], { held_max: string }>;
    pair: Database.Statement<[string, string], StoredPairRow>;
    savePair: Database.Statement;
    dropPair: Database.Statement;
    seatsOf: Database.Statement<[string, string], { from_date: string; to_date: string | null }>;
    seatPartner: Database.Statement<[string, string], { partner_id: string }>;
    meetingsFor: Database.Statement<
      [{ groupId: string; partnerId: string }],
      { held_at: string; duration_minutes: number; presence: string | null }
    >;
    addAttendance: Database.Statement;
    addFact: Database.Statement;
    factDetail: Database.Statement<[number], { detail: string }>;
    attendanceOf: Database.Statement<[string], CostAttendanceRow>;
    factsOf: Database.Statement<[string], CostFactRow>;
    termsOf: Database.Statement<[string], CostFactRow>;
    cost: Database.Statement<[string], StoredPartnerCost>;
    saveCost: Database.Statement;
  };

  prepare(db: Database.Database): void {
    this.db = db;
    this.insertProgramme = db.prepare(
      'INSERT OR IGNORE INTO rep_programmes VALUES (?, ?, ?, ?, ?, ?)',
    );
    const terms = COST_TERM_TYPES.map((t) => `'${t}'`).join(', ');
    this.stmt = {
      horizon: db.prepare('SELECT * FROM rep_tally_horizon'),
      widen: db.prepare(`INSERT INTO rep_tally_horizon VALUES (1, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET occurred_max = max(occurred_max, excluded.occurred_max),
          recorded_max = max(recorded_max, excluded.recorded_max),
          position_max = max(position_max, excluded.position_max)`),
      meeting: db.prepare(`SELECT held_at, duration_minutes, position FROM pf_meetings
        WHERE group_id = ? AND meeting_id = ?`),
      presence: db.prepare(`SELECT partner_id, presence FROM pf_attendance
        WHERE group_id = ? AND meeting_id = ?`),
      seatedAt: db.prepare(`SELECT DISTINCT partner_id FROM gov_tenures
        WHERE group_id = ? AND role = 'seat' AND from_date <= ?
          AND (to_date IS NULL OR to_date > ?)`),
      addGroup: db.prepare(`INSERT INTO rep_part_groups VALUES (?, 1, ?, ?)
        ON CONFLICT (group_id) DO UPDATE SET meetings = meetings + 1,
          minutes = minutes + excluded.minutes, held_max = max(held_max, excluded.held_max)`),
      heldMax: db.prepare('SELECT held_max FROM rep_part_groups WHERE group_id = ?'),
      pair: db.prepare('SELECT * FROM rep_part_pairs WHERE group_id = ? AND partner_id = ?'),
      savePair: db.prepare('INSERT OR REPLACE INTO rep_part_pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      dropPair: db.prepare('DELETE FROM rep_part_pairs WHERE group_id = ? AND partner_id = ?'),
      seatsOf: db.prepare(`SELECT from_date, to_date FROM gov_tenures
        WHERE group_id = ? AND partner_id = ? AND role = 'seat'`),
      seatPartner: db.prepare(
        'SELECT partner_id FROM gov_tenures WHERE group_id = ? AND tenure_id = ?',
      ),
      meetingsFor: db.prepare(`SELECT m.held_at, m.duration_minutes, a.presence
        FROM pf_meetings m LEFT JOIN pf_attendance a
          ON a.group_id = m.group_id AND a.meeting_id = m.meeting_id AND a.partner_id = @partnerId
        WHERE m.group_id = @groupId`),
      addAttendance: db.prepare('INSERT OR IGNORE INTO rep_cost_attendance VALUES (?, ?, ?, ?, ?)'),
      addFact: db.prepare('INSERT OR IGNORE INTO rep_cost_facts VALUES (?, ?, ?, ?, ?)'),
      factDetail: db.prepare('SELECT detail FROM pf_facts WHERE position = ?'),
      attendanceOf: db.prepare(`SELECT group_id, partner_id, duration_minutes, held_at, position
        FROM rep_cost_attendance WHERE partner_id = ?`),
      factsOf: db.prepare(`SELECT position, partner_id, type, occurred_at, detail
        FROM rep_cost_facts WHERE partner_id = ? ORDER BY occurred_at, position`),
      termsOf: db.prepare(`SELECT position, partner_id, type, occurred_at, detail
        FROM rep_cost_facts WHERE partner_id = ? AND type IN (${terms})
        ORDER BY occurred_at, position`),
      cost: db.prepare('SELECT * FROM rep_cost_partners WHERE partner_id = ?'),
      saveCost: db.prepare('INSERT OR REPLACE INTO rep_cost_partners VALUES (?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  apply(recorded: RecordedEvent): void {
    if (recorded.type === 'ProgrammeLaunched') return this.programmeLaunched(recorded);
    const data = (recorded.data ?? {}) as Data;
    const meeting = recorded.type === 'MeetingHeld';
    const fact = COST_FACTS.has(recorded.type) && typeof data.partnerId === 'string';
    if (!meeting && !fact) return;
    const position = Number(recorded.position);
    const occurredAt = String(data.occurredAt ?? '');
    if (this.bulk) {
      this.stmt.widen.run(occurredAt, recorded.recordedAt.getTime(), position);
      return;
    }
    // Applied already (the same events again over a live store): the sums hold it.
    const horizon = this.stmt.horizon.get();
    if (horizon !== undefined && position <= horizon.position_max) return;
    if (meeting) this.meetingHeld(String(data.groupId), String(data.meetingId), position, data);
    else this.partnerFact(recorded.type, data, occurredAt, position);
    this.stmt.widen.run(occurredAt, recorded.recordedAt.getTime(), position);
  }

  bulkReplay(phase: 'start' | 'finish' | 'abandon'): void {
    this.bulk = phase === 'start';
    if (phase === 'finish') this.foldAll();
    // What the failed replay committed is kept: its sums too, so that live events add to them.
    if (phase === 'abandon') this.db.transaction(() => this.foldAll())();
  }

  /**
   * Every sum at once, from the tables a replay filled, with the functions
   * `apply` uses per event (and reads use per time point).
   */
  private foldAll(): void {
    const types = COST_FACT_TYPES.map((t) => `'${t}'`).join(', ');
    this.db.exec(`
      DELETE FROM rep_part_groups;
      DELETE FROM rep_part_pairs;
      DELETE FROM rep_cost_attendance;
      DELETE FROM rep_cost_facts;
      DELETE FROM rep_cost_partners;
      INSERT INTO rep_cost_attendance
        SELECT a.partner_id, m.position, a.group_id, m.held_at, m.duration_minutes
        FROM pf_attendance a
        JOIN pf_meetings m ON m.group_id = a.group_id AND m.meeting_id = a.meeting_id
        WHERE a.presence = 'attended';
      INSERT INTO rep_cost_facts SELECT partner_id, position, type, occurred_at, detail
        FROM pf_facts WHERE type IN (${types});
    `);
    // One group, then one partner, at a time (keys paged through their primary keys, so
    // nothing is held open while the rows are written): memory flat in the log's length.
    const nextGroup = this.db.prepare<[string], { id: string | null }>(
      'SELECT min(group_id) AS id FROM pf_meetings WHERE group_id > ?',
    );
    const meetingsOf = this.db.prepare<[string], MeetingRow>(
      `SELECT group_id, meeting_id, duration_minutes, held_at FROM pf_meetings
       WHERE group_id = ? ORDER BY held_at, meeting_id`,
    );
    const presenceOf = this.db.prepare<[string], AttendanceRow>(
      'SELECT * FROM pf_attendance WHERE group_id = ?',
    );
    const seatsOf = this.db.prepare<[string], SeatRow>(
      `SELECT group_id, partner_id, from_date, to_date, end_recorded_at FROM gov_tenures
       WHERE group_id = ? AND role = 'seat'`,
    );
    const saveGroup = this.db.prepare('INSERT INTO rep_part_groups VALUES (?, ?, ?, ?)');
    for (let g = nextGroup.get('')?.id ?? null; g !== null; g = nextGroup.get(g)?.id ?? null) {
      const meetings = meetingsOf.all(g);
      const { groupTallies, pairs } = foldParticipation(
        meetings,
        presenceOf.all(g),
        seatsOf.all(g),
        Number.POSITIVE_INFINITY,
      );
      let heldMax = meetings[0]!.held_at;
      for (const m of meetings) if (m.held_at > heldMax) heldMax = m.held_at;
      const t = groupTallies.get(g)!;
      saveGroup.run(g, t.meetings, t.minutes, heldMax);
      for (const { groupId, partnerId, tally } of pairs) this.savePair(groupId, partnerId, tally);
    }

    const nextPartner = this.db.prepare<[string, string], { id: string | null }>(
      `SELECT min(id) AS id FROM (
         SELECT min(partner_id) AS id FROM rep_cost_attendance WHERE partner_id > ?
         UNION ALL SELECT min(partner_id) FROM rep_cost_facts WHERE partner_id > ?)`,
    );
    const next = (after: string) => nextPartner.get(after, after)?.id ?? null;
    for (let p = next(''); p !== null; p = next(p)) this.refoldCost(p);
  }

  private programmeLaunched(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as ProgrammeEvent;
    if (event.type !== 'ProgrammeLaunched') return;
    const d = event.data;
    this.insertProgramme.run(
      d.programmeId,
      d.name,
      JSON.stringify(d.boroughs),
      d.occurredAt,
      recorded.recordedAt.getTime(),
      Number(recorded.position),
    );
  }

  /** Counts the meeting for its group, the partners it names, and its attendees' cost. */
  private meetingHeld(groupId: string, meetingId: string, position: number, data: Data): void {
    const m = this.stmt.meeting.get(groupId, meetingId);
    if (!m) return;
    if (m.position !== position) {
      // A meeting id held before: the first meeting counts, with anyone this one adds to it.
      const present = new Map(
        this.stmt.presence.all(groupId, meetingId).map((r) => [r.partner_id, r.presence]),
      );
      for (const partnerId of new Set([...people(data.attendees), ...people(data.apologies)])) {
        this.recountPair(groupId, partnerId);
        if (present.get(partnerId) !== 'attended') continue;
        this.stmt.addAttendance.run(partnerId, m.position, groupId, m.held_at, m.duration_minutes);
        this.refoldCost(partnerId);
      }
      return;
    }
    this.stmt.addGroup.run(groupId, m.duration_minutes, m.held_at);
    const seated = new Set(
      this.stmt.seatedAt.all(groupId, m.held_at, m.held_at).map((r) => r.partner_id),
    );
    const present = new Map(
      this.stmt.presence.all(groupId, meetingId).map((r) => [r.partner_id, r.presence]),
    );
    const pairs = new Map<string, PairTally>();
    countMeeting(m, seated, present, (partnerId) => {
      let t = pairs.get(partnerId);
      if (!t) {
        const row = this.stmt.pair.get(groupId, partnerId);
        t = row ? pairFromStore(row) : emptyPair();
        pairs.set(partnerId, t);
      }
      return t;
    });
    for (const [partnerId, t] of pairs) this.savePair(groupId, partnerId, t);

    for (const [partnerId, presence] of present) {
      if (presence !== 'attended') continue;
      const row: CostAttendanceRow = {
        group_id: groupId,
        partner_id: partnerId,
        duration_minutes: m.duration_minutes,
        held_at: m.held_at,
        position,
      };
      this.stmt.addAttendance.run(partnerId, position, groupId, m.held_at, m.duration_minutes);
      const stored = this.stmt.cost.get(partnerId);
      const cost = stored ? partnerCostFromStore(stored) : emptyPartnerCost();
      countAttendance(cost, new RoleLevels(this.stmt.termsOf.all(partnerId)), row);
      this.saveCost(partnerId, cost);
    }
  }

  /**
   * A term, claim, settlement or payment, kept by partner: counted onto the
   * partner's sums when it comes after everything they hold (a term after
   * every level looked up, a claim or payment after every fact in business
   * time), else the partner refolded. A seat's start or end before one of the
   * group's meetings recounts that partner on that group.
   */
  private partnerFact(type: string, data: Data, occurredAt: string, position: number): void {
    const partnerId = String(data.partnerId);
    // The fact as the partner-facts projection keeps it (no name, contact or note).
    const detail = this.stmt.factDetail.get(position)?.detail ?? '{}';
    const row: CostFactRow = {
      position,
      partner_id: partnerId,
      type,
      occurred_at: occurredAt,
      detail,
    };
    this.stmt.addFact.run(partnerId, position, type, occurredAt, row.detail);
    const stored = this.stmt.cost.get(partnerId);
    const cost = stored ? partnerCostFromStore(stored) : emptyPartnerCost();
    const term = COST_TERM_TYPES.includes(type);
    if (term ? termChangesNothing(cost, row) : occurredAt >= cost.factsTo) {
      const levels = new RoleLevels(term ? [] : this.stmt.termsOf.all(partnerId));
      countFact(cost, levels, row);
      this.saveCost(partnerId, cost);
    } else this.refoldCost(partnerId);
    if (type === 'SeatAllocated' || type === 'SeatVacated') {
      const groupId = String(data.groupId);
      const heldMax = this.stmt.heldMax.get(groupId)?.held_max;
      if (heldMax === undefined || occurredAt > heldMax) return; // no meeting on or after it
      const holder =
        this.stmt.seatPartner.get(groupId, `seat:${String(data.seatId)}`)?.partner_id ?? partnerId;
      this.recountPair(groupId, holder);
    }
  }

  /** A seat began or ended (perhaps backdated, or recorded late): that partner on that group, anew. */
  private recountPair(groupId: string, partnerId: string): void {
    const seats = this.stmt.seatsOf.all(groupId, partnerId);
    const t = emptyPair();
    const self = new Set([partnerId]);
    const none = new Set<string>();
    for (const m of this.stmt.meetingsFor.all({ groupId, partnerId })) {
      const seated = seats.some(
        (s) => s.from_date <= m.held_at && (s.to_date === null || s.to_date > m.held_at),
      );
      const present = new Map(m.presence === null ? [] : [[partnerId, m.presence]]);
      countMeeting(m, seated ? self : none, present, () => t);
    }
    this.savePair(groupId, partnerId, t);
  }

  private savePair(groupId: string, partnerId: string, t: PairTally): void {
    if (isEmptyPair(t)) {
      this.stmt.dropPair.run(groupId, partnerId);
      return;
    }
    const months = Object.fromEntries(
      Object.entries(t.months).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    this.stmt.savePair.run(
      groupId,
      partnerId,
      t.seated,
      t.attended,
      t.apologies,
      t.missed,
      t.minutes,
      JSON.stringify(months),
    );
  }

  private refoldCost(partnerId: string): void {
    const attendance = this.stmt.attendanceOf.all(partnerId);
    this.saveCost(partnerId, foldPartnerCost(attendance, this.stmt.factsOf.all(partnerId)));
  }

  private saveCost(partnerId: string, cost: PartnerCost): void {
    const row = storedPartnerCost(cost);
    this.stmt.saveCost.run(
      partnerId,
      row.cells,
      row.evidence,
      row.other,
      row.claims,
      row.levels_to,
      row.facts_to,
    );
  }
}
