import type { GroupEvent, PartnerEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';

/** The R*Tree's "not yet": later than any time the ledger will hold. */
export const FOREVER = 1e38; // within float32, above Number.MAX_SAFE_INTEGER

type GovernanceEvent = GroupEvent | PartnerEvent;
type DataOf<T extends GovernanceEvent['type']> = Extract<GovernanceEvent, { type: T }>['data'];

/** Where an event stands in the ledger: when it was recorded (ms) and its `$all` position. */
interface Recorded {
  recordedAt: number;
  position: number;
}

interface EndedTenure {
  id: number;
  from_date: string;
  start_recorded_at: number;
}

/**
 * Groups, partners and every seat and co-chair tenure, kept bitemporally:
 * each fact has its business time (`occurredAt`) and the time the ledger
 * learnt it (`recordedAt`, ms). "As of" filters on the first, "known at" on
 * the second, so the structure on any date, as the record stood on any
 * date, is a query.
 */
export class GovernanceProjection implements Projection {
  readonly name = 'governance';
  readonly tables = ['gov_groups', 'gov_partners', 'gov_tenures', 'gov_tenure_spans'] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS gov_groups (
      group_id                 TEXT PRIMARY KEY,
      name                     TEXT NOT NULL,
      kind                     TEXT NOT NULL,
      level                    TEXT NOT NULL,
      parent_group_id          TEXT,
      borough                  TEXT,
      cadence                  TEXT NOT NULL,
      lay_min                  INTEGER NOT NULL,
      lay_max                  INTEGER NOT NULL,
      co_chair_constituencies  TEXT NOT NULL,
      established_at           TEXT NOT NULL,
      established_recorded_at  INTEGER NOT NULL,
      dissolved_at             TEXT,
      dissolved_recorded_at    INTEGER,
      -- NULL: none on record (the ledger's first programme, ADR 0003)
      programme_id             TEXT
    );
    CREATE TABLE IF NOT EXISTS gov_partners (
      partner_id             TEXT PRIMARY KEY,
      kind                   TEXT NOT NULL,
      name                   TEXT NOT NULL,
      organisation           TEXT,
      organisation_kind      TEXT,
      nominated_at           TEXT NOT NULL,
      appointed_at           TEXT,
      appointed_body         TEXT,
      programme_id           TEXT
    );
    CREATE TABLE IF NOT EXISTS gov_tenures (
      group_id           TEXT NOT NULL,
      tenure_id          TEXT NOT NULL,
      seat_id            TEXT NOT NULL,
      role               TEXT NOT NULL,
      election_id        TEXT,
      partner_id         TEXT NOT NULL,
      constituency       TEXT NOT NULL,
      from_date          TEXT NOT NULL,
      to_date            TEXT,
      term_ends_on       TEXT,
      end_reason         TEXT,
      start_recorded_at  INTEGER NOT NULL,
      start_position     INTEGER NOT NULL,
      end_recorded_at    INTEGER,
      end_position       INTEGER,
      PRIMARY KEY (group_id, tenure_id)
    );
    -- "Who sat where on (asOf, knownAt)" is a stabbing query: an R*Tree over each ended
    -- tenure's region in (business time × record time), ms since epoch (see ended()),
    -- and the few open tenures by their own index.
    CREATE VIRTUAL TABLE IF NOT EXISTS gov_tenure_spans
      USING rtree(id, valid_from, valid_to, known_from, known_to);
  `;
  readonly indexes = `
    CREATE INDEX IF NOT EXISTS gov_tenures_partner ON gov_tenures (partner_id);
    CREATE INDEX IF NOT EXISTS gov_tenures_open ON gov_tenures (from_date) WHERE to_date IS NULL;
  `;

  private stmt!: {
    insertGroup: Database.Statement;
    dissolveGroup: Database.Statement;
    insertPartner: Database.Statement;
    appointPartner: Database.Statement;
    erasePartner: Database.Statement;
    startTenure: Database.Statement;
    endTenure: Database.Statement<unknown[], EndedTenure>;
    endCoChair: Database.Statement<unknown[], EndedTenure>;
    insertSpan: Database.Statement;
  };

  prepare(db: Database.Database): void {
    this.stmt = {
      insertGroup: db.prepare(`INSERT OR IGNORE INTO gov_groups VALUES
        (@groupId, @name, @kind, @level, @parentGroupId, @borough, @cadence, @layMin, @layMax,
         @coChairs, @occurredAt, @recordedAt, NULL, NULL, @programmeId)`),
      dissolveGroup: db.prepare(`UPDATE gov_groups SET dissolved_at = ?, dissolved_recorded_at = ?
        WHERE group_id = ? AND dissolved_at IS NULL`),
      insertPartner: db.prepare(`INSERT OR IGNORE INTO gov_partners
        (partner_id, kind, name, organisation, organisation_kind, nominated_at, programme_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      appointPartner: db.prepare(`UPDATE gov_partners
        SET appointed_at = coalesce(appointed_at, ?), appointed_body = coalesce(appointed_body, ?)
        WHERE partner_id = ?`),
      erasePartner: db.prepare(`UPDATE gov_partners SET name = '[erased]' WHERE partner_id = ?`),
      startTenure: db.prepare(`INSERT OR IGNORE INTO gov_tenures
        (group_id, tenure_id, seat_id, role, election_id, partner_id, constituency, from_date,
         term_ends_on, start_recorded_at, start_position)
        VALUES (@groupId, @tenureId, @seatId, @role, @electionId, @partnerId, @constituency,
         @from, @termEndsOn, @recordedAt, @position)`),
      endTenure: db.prepare(`UPDATE gov_tenures
        SET to_date = ?, end_reason = ?, end_recorded_at = ?, end_position = ?
        WHERE group_id = ? AND tenure_id = ? AND to_date IS NULL
        RETURNING rowid AS id, from_date, start_recorded_at`),
      // The latest-started open term: a past term recorded in one append (appointed, then
      // stood down) ends itself, not an open term the same partner holds today.
      endCoChair: db.prepare(`UPDATE gov_tenures
        SET to_date = ?, end_reason = ?, end_recorded_at = ?, end_position = ?
        WHERE rowid = (SELECT rowid FROM gov_tenures
          WHERE group_id = ? AND role = 'co-chair' AND partner_id = ? AND constituency = ?
            AND to_date IS NULL
          ORDER BY start_position DESC LIMIT 1)
        RETURNING rowid AS id, from_date, start_recorded_at`),
      insertSpan: db.prepare(`INSERT OR REPLACE INTO gov_tenure_spans VALUES (?, ?, ?, ?, ?)`),
    };
  }

  /**
   * An ended tenure is visible at (asOf, knownAt) in two boxes, kept in
   * `gov_tenure_spans` (ids 2·rowid and 2·rowid+1): from its start until its
   * end, once its start was recorded; and after its end, while that end was
   * not yet recorded. Open tenures stay out of the tree (a box that later
   * shrinks degrades an R*Tree eightfold, measured); the partial index
   * `gov_tenures_open` finds them.
   */
  private ended(tenures: EndedTenure[], to: string, recordedAt: number): void {
    for (const tenure of tenures) {
      const from = Date.parse(tenure.from_date);
      const end = Math.max(from, Date.parse(to));
      const id = BigInt(tenure.id) * 2n;
      this.stmt.insertSpan.run(id, from, end, tenure.start_recorded_at, FOREVER);
      if (recordedAt > tenure.start_recorded_at) {
        this.stmt.insertSpan.run(id + 1n, end, FOREVER, tenure.start_recorded_at, recordedAt);
      }
    }
  }

  apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as GovernanceEvent;
    const at: Recorded = {
      recordedAt: recorded.recordedAt.getTime(),
      position: Number(recorded.position),
    };
    switch (event.type) {
      case 'GroupEstablished':
        return this.groupEstablished(event.data, at);
      case 'GroupDissolved':
        return this.groupDissolved(event.data, at);
      case 'SeatAllocated':
        return this.seatAllocated(event.data, at);
      case 'SeatVacated':
        return this.seatVacated(event.data, at);
      case 'CoChairAppointed':
        return this.coChairStarted(event.data, null, at);
      case 'CoChairElected':
        return this.coChairStarted(event.data, event.data.electionId, at);
      case 'CoChairStoodDown':
        return this.coChairStoodDown(event.data, at);
      case 'PartnerNominated':
        return this.partnerNominated(event.data);
      case 'PartnerRegistered':
        return this.partnerRegistered(event.data);
      case 'PartnerAppointed':
        return this.partnerAppointed(event.data);
      case 'PersonalDataErased':
        return this.personalDataErased(event.data);
      default:
        return; // not this projection's event
    }
  }

  private groupEstablished(d: DataOf<'GroupEstablished'>, { recordedAt }: Recorded): void {
    this.stmt.insertGroup.run({
      groupId: d.groupId,
      name: d.name,
      kind: d.kind,
      level: d.level,
      parentGroupId: d.parentGroupId,
      borough: d.borough,
      cadence: d.cadence,
      layMin: d.laySeats.min,
      layMax: d.laySeats.max,
      coChairs: JSON.stringify(d.coChairConstituencies),
      occurredAt: d.occurredAt,
      recordedAt,
      programmeId: d.programmeId ?? null,
    });
  }

  private groupDissolved(d: DataOf<'GroupDissolved'>, { recordedAt }: Recorded): void {
    this.stmt.dissolveGroup.run(d.occurredAt, recordedAt, d.groupId);
  }

  private seatAllocated(d: DataOf<'SeatAllocated'>, { recordedAt, position }: Recorded): void {
    this.stmt.startTenure.run({
      groupId: d.groupId,
      tenureId: `seat:${d.seatId}`,
      seatId: d.seatId,
      role: 'seat',
      electionId: null,
      partnerId: d.partnerId,
      constituency: d.constituency,
      from: d.occurredAt,
      termEndsOn: d.termEndsOn,
      recordedAt,
      position,
    });
  }

  private seatVacated(d: DataOf<'SeatVacated'>, { recordedAt, position }: Recorded): void {
    const ended = this.stmt.endTenure.all(
      d.occurredAt,
      d.reason,
      recordedAt,
      position,
      d.groupId,
      `seat:${d.seatId}`,
    );
    this.ended(ended, d.occurredAt, recordedAt);
  }

  /** CoChairAppointed, or CoChairElected (with its election). */
  private coChairStarted(
    d: DataOf<'CoChairAppointed' | 'CoChairElected'>,
    electionId: string | null,
    { recordedAt, position }: Recorded,
  ): void {
    this.stmt.startTenure.run({
      groupId: d.groupId,
      // A partner may co-chair a group more than once: each term is its own tenure.
      tenureId: `co-chair:${d.constituency}:${position}`,
      seatId: d.seatId,
      role: 'co-chair',
      electionId,
      partnerId: d.partnerId,
      constituency: d.constituency,
      from: d.occurredAt,
      termEndsOn: null,
      recordedAt,
      position,
    });
  }

  private coChairStoodDown(
    d: DataOf<'CoChairStoodDown'>,
    { recordedAt, position }: Recorded,
  ): void {
    const ended = this.stmt.endCoChair.all(
      d.occurredAt,
      d.reason,
      recordedAt,
      position,
      d.groupId,
      d.partnerId,
      d.constituency,
    );
    this.ended(ended, d.occurredAt, recordedAt);
  }

  private partnerNominated(d: DataOf<'PartnerNominated'>): void {
    this.stmt.insertPartner.run(
      d.partnerId,
      'lay',
      d.name,
      d.nominatedBy.organisation,
      d.nominatedBy.organisationKind,
      d.occurredAt,
      d.programmeId ?? null,
    );
  }

  private partnerRegistered(d: DataOf<'PartnerRegistered'>): void {
    this.stmt.insertPartner.run(
      d.partnerId,
      'professional',
      d.name,
      d.organisation,
      d.constituency,
      d.occurredAt,
      d.programmeId ?? null,
    );
  }

  private partnerAppointed(d: DataOf<'PartnerAppointed'>): void {
    this.stmt.appointPartner.run(d.occurredAt, d.body, d.partnerId);
  }

  /** The key is destroyed; the read model forgets the name too. Seats keep their structure. */
  private personalDataErased(d: DataOf<'PersonalDataErased'>): void {
    this.stmt.erasePartner.run(d.partnerId);
  }
}
