import type Database from 'better-sqlite3';
import type { ProgrammeScope } from '../reports/programme-scope.js';

/**
 * Bitemporal point in time for a query. `asOf`: business time (ISO instant);
 * `knownAt`: what the ledger knew then (ms since epoch). Both default to now.
 */
export interface TimePoint {
  asOf: string;
  knownAt: number;
}

export interface SeatView {
  seatId: string;
  partnerId: string;
  partnerName: string | null;
  constituency: string;
  since: string;
  termEndsOn: string | null;
}

export interface CoChairView {
  partnerId: string;
  partnerName: string | null;
  constituency: string;
  seatId: string;
  since: string;
  electionId: string | null;
}

export interface GroupView {
  groupId: string;
  name: string;
  kind: string;
  level: string;
  parentGroupId: string | null;
  borough: string | null;
  cadence: string;
  establishedAt: string;
  coChairConstituencies: string[];
  laySeats: { min: number; max: number; filled: number; belowMinimum: boolean };
  seats: SeatView[];
  coChairs: CoChairView[];
}

/** A group with its dissolution, for the group's own read routes (dissolved groups included). */
export interface GroupDetailView extends GroupView {
  status: 'active' | 'dissolved';
  /** When the group was dissolved, if it was by `asOf` and that was known at `knownAt`. */
  dissolvedAt: string | null;
  recordedAt: string;
  dissolvedRecordedAt: string | null;
}

export interface TenureView {
  groupId: string;
  seatId: string;
  role: string;
  electionId: string | null;
  partnerId: string;
  partnerName: string | null;
  constituency: string;
  from: string;
  to: string | null;
  termEndsOn: string | null;
  endReason: string | null;
  recordedAt: string;
  endRecordedAt: string | null;
}

/** A group as `governance` reads it (an array row, in the SELECT's order). */
type GroupAtRow = [
  groupId: string,
  name: string,
  kind: string,
  level: string,
  parentGroupId: string | null,
  borough: string | null,
  cadence: string,
  layMin: number,
  layMax: number,
  coChairConstituencies: string,
  establishedAt: string,
];

interface TenureRow {
  group_id: string;
  seat_id: string;
  role: string;
  election_id: string | null;
  partner_id: string;
  partner_name: string | null;
  constituency: string;
  from_date: string;
  to_date: string | null;
  term_ends_on: string | null;
  end_reason: string | null;
  start_recorded_at: number;
  end_recorded_at: number | null;
}

/** A running tenure as `governance` reads it (an array row, in the SELECT's order). */
type SeatAtRow = [
  groupId: string,
  role: string,
  seatId: string,
  partnerId: string,
  partnerName: string | null,
  constituency: string,
  since: string,
  termEndsOn: string | null,
  electionId: string | null,
];

/** A group, dissolved or not, as `groupsKnown` reads it. */
type GroupKnownRow = [
  ...GroupAtRow,
  establishedRecordedAt: number,
  dissolvedAt: string | null,
  dissolvedRecordedAt: number | null,
];

/** A group exists at (asOf, knownAt) if it was established then and known to be. */
const GROUP_AT = `established_at <= @asOf AND established_recorded_at <= @knownAt
  AND NOT (dissolved_at IS NOT NULL AND dissolved_at <= @asOf AND dissolved_recorded_at <= @knownAt)`;

/** A tenure is running at (asOf, knownAt) if it had begun and had not (as far as known) ended. */
const TENURE_AT = `t.from_date <= @asOf AND t.start_recorded_at <= @knownAt
  AND NOT (t.to_date IS NOT NULL AND t.to_date <= @asOf AND t.end_recorded_at <= @knownAt)`;

/** Tenures as they were known at `knownAt`: an end recorded later is not yet known. */
const TENURE_KNOWN = `t.start_recorded_at <= @knownAt`;

export class GovernanceQueries {
  private readonly stmt: {
    groups: Database.Statement<[TimePoint], GroupAtRow>;
    groupsKnown: Database.Statement<[TimePoint], GroupKnownRow>;
    groupExists: Database.Statement<[string], { n: number }>;
    seatsAt: Database.Statement<[TimePoint & { asOfMs: number }], SeatAtRow>;
    openTenuresOfPartner: Database.Statement<[string], TenureRow>;
    partnerName: Database.Statement<[string], { name: string }>;
    groupName: Database.Statement<[string], { name: string }>;
    tenuresOfGroup: Database.Statement<[{ groupId: string; knownAt: number }], TenureRow>;
    tenuresOfPartner: Database.Statement<[{ partnerId: string; knownAt: number }], TenureRow>;
    allTenures: Database.Statement<[{ knownAt: number }], TenureRow>;
  };

  constructor(db: Database.Database) {
    const tenureColumns = `t.*, p.name AS partner_name FROM gov_tenures t
      LEFT JOIN gov_partners p ON p.partner_id = t.partner_id`;
    this.stmt = {
      // As arrays, like seatsAt: 200 groups' row objects took 0.49 ms, arrays 0.24.
      groups: db
        .prepare<[TimePoint], GroupAtRow>(
          `SELECT group_id, name, kind, level, parent_group_id, borough, cadence, lay_min, lay_max,
             co_chair_constituencies, established_at
           FROM gov_groups WHERE ${GROUP_AT} ORDER BY established_at, group_id`,
        )
        .raw(),
      // Groups established by asOf, as known at knownAt: dissolved ones too, with their dissolution.
      groupsKnown: db
        .prepare<[TimePoint], GroupKnownRow>(
          `SELECT group_id, name, kind, level, parent_group_id, borough, cadence, lay_min, lay_max,
             co_chair_constituencies, established_at, established_recorded_at,
             dissolved_at, dissolved_recorded_at
           FROM gov_groups WHERE established_at <= @asOf AND established_recorded_at <= @knownAt
           ORDER BY established_at, group_id`,
        )
        .raw(),
      groupExists: db.prepare('SELECT count(*) AS n FROM gov_groups WHERE group_id = ?'),
      // Candidates: ended tenures whose region holds the point (the R*Tree's float
      // coordinates round outwards) and the open ones begun by then; TENURE_AT decides.
      // Only the columns the view shows, as arrays: building a row object of every
      // column cost more than the query (200 seats: 564 → ~250 µs).
      seatsAt: db
        .prepare<[TimePoint & { asOfMs: number }], SeatAtRow>(
          `SELECT t.group_id, t.role, t.seat_id, t.partner_id, p.name, t.constituency, t.from_date,
             t.term_ends_on, t.election_id
           FROM gov_tenures t LEFT JOIN gov_partners p ON p.partner_id = t.partner_id
           WHERE t.rowid IN (
           SELECT id >> 1 FROM gov_tenure_spans
           WHERE valid_from <= @asOfMs AND valid_to > @asOfMs
             AND known_from <= @knownAt AND known_to > @knownAt
           UNION ALL
           SELECT rowid FROM gov_tenures WHERE to_date IS NULL AND from_date <= @asOf)
         AND ${TENURE_AT} ORDER BY t.from_date, t.seat_id, t.role`,
        )
        .raw(),
      partnerName: db.prepare('SELECT name FROM gov_partners WHERE partner_id = ?'),
      groupName: db.prepare('SELECT name FROM gov_groups WHERE group_id = ?'),
      openTenuresOfPartner: db.prepare(
        `SELECT ${tenureColumns} WHERE t.partner_id = ? AND t.to_date IS NULL ORDER BY t.group_id, t.seat_id`,
      ),
      tenuresOfPartner: db.prepare(
        `SELECT ${tenureColumns} WHERE t.partner_id = @partnerId AND ${TENURE_KNOWN} ORDER BY t.from_date, t.group_id`,
      ),
      allTenures: db.prepare(
        `SELECT ${tenureColumns} WHERE ${TENURE_KNOWN} ORDER BY t.group_id, t.from_date, t.seat_id`,
      ),
      tenuresOfGroup: db.prepare(
        `SELECT ${tenureColumns} WHERE t.group_id = @groupId AND ${TENURE_KNOWN}
         ORDER BY t.from_date, t.seat_id, t.role`,
      ),
    };
  }

  /** Every group established by `asOf` with its seats and co-chairs; with `scope`, that programme's. */
  governance(at: TimePoint, scope?: ProgrammeScope | null): GroupView[] {
    const { seatsByGroup, coChairsByGroup } = this.seatsAt(at);
    return this.stmt.groups
      .all(at)
      .filter((row) => !scope || scope.hasGroup(row[0]))
      .map((row) =>
        toGroupView(row, seatsByGroup.get(row[0]) ?? [], coChairsByGroup.get(row[0]) ?? []),
      );
  }

  /**
   * Every group established by `asOf`, as known at `knownAt`, dissolved or
   * not: its facts, seats, co-chairs and lay seats filled against the range.
   */
  groupsAt(at: TimePoint): GroupDetailView[] {
    const { seatsByGroup, coChairsByGroup } = this.seatsAt(at);
    return this.stmt.groupsKnown.all(at).map((row) => {
      const [establishedRecordedAt, dissolvedAt, dissolvedRecordedAt] = [row[11], row[12], row[13]];
      const dissolved =
        dissolvedAt !== null &&
        dissolvedAt <= at.asOf &&
        dissolvedRecordedAt !== null &&
        dissolvedRecordedAt <= at.knownAt;
      const base = row.slice(0, 11) as GroupAtRow;
      return {
        ...toGroupView(base, seatsByGroup.get(row[0]) ?? [], coChairsByGroup.get(row[0]) ?? []),
        status: dissolved ? 'dissolved' : 'active',
        dissolvedAt: dissolved ? dissolvedAt : null,
        recordedAt: new Date(establishedRecordedAt).toISOString(),
        dissolvedRecordedAt:
          dissolved && dissolvedRecordedAt !== null
            ? new Date(dissolvedRecordedAt).toISOString()
            : null,
      };
    });
  }

  /** One group as `groupsAt` reads it, or `null` if not established by `asOf` or not known at `knownAt`. */
  groupAt(groupId: string, at: TimePoint): GroupDetailView | null {
    return this.groupsAt(at).find((group) => group.groupId === groupId) ?? null;
  }

  private seatsAt(at: TimePoint) {
    const seatsByGroup = new Map<string, SeatView[]>();
    const coChairsByGroup = new Map<string, CoChairView[]>();
    const rows = this.stmt.seatsAt.all({ ...at, asOfMs: Date.parse(at.asOf) });
    for (const [
      groupId,
      role,
      seatId,
      partnerId,
      partnerName,
      constituency,
      since,
      termEndsOn,
      electionId,
    ] of rows) {
      if (role === 'co-chair') {
        const coChairs = coChairsByGroup.get(groupId) ?? [];
        coChairs.push({ partnerId, partnerName, constituency, seatId, since, electionId });
        coChairsByGroup.set(groupId, coChairs);
        continue;
      }
      const seats = seatsByGroup.get(groupId) ?? [];
      seats.push({ seatId, partnerId, partnerName, constituency, since, termEndsOn });
      seatsByGroup.set(groupId, seats);
    }
    return { seatsByGroup, coChairsByGroup };
  }

  /** Seats and co-chair roles a partner holds now, as far as the ledger knows. */
  openTenuresOf(
    partnerId: string,
  ): Array<{ groupId: string; seatId: string; role: string; from: string }> {
    return this.stmt.openTenuresOfPartner.all(partnerId).map((row) => ({
      groupId: row.group_id,
      seatId: row.seat_id,
      role: row.role,
      from: row.from_date,
    }));
  }

  /** Display names for the timeline; unknown ids read as themselves. */
  names(): { partner(id: string): string; group(id: string): string } {
    return {
      partner: (id) => this.stmt.partnerName.get(id)?.name ?? id,
      group: (id) => this.stmt.groupName.get(id)?.name ?? id,
    };
  }

  groupExists(groupId: string): boolean {
    return (this.stmt.groupExists.get(groupId)?.n ?? 0) > 0;
  }

  /** Every seat tenure of a group, as the record stood at `knownAt`; ends not yet known are open. */
  tenures(groupId: string, knownAt: number): TenureView[] {
    return this.stmt.tenuresOfGroup
      .all({ groupId, knownAt })
      .map((row) => toTenureView(row, knownAt));
  }

  /**
   * The group's terms as an auditor reads them on `asOf`, as the record
   * stood at `knownAt`: every term begun by `asOf`; an end after `asOf` (or
   * not yet known at `knownAt`) reads as open, as it was on that date.
   */
  tenuresAt(groupId: string, at: TimePoint): TenureView[] {
    return this.tenures(groupId, at.knownAt)
      .filter((tenure) => tenure.from <= at.asOf)
      .map((tenure) => {
        const ended = tenure.to !== null && tenure.to <= at.asOf;
        return ended ? tenure : { ...tenure, to: null, endReason: null, endRecordedAt: null };
      });
  }

  /** Every seat and co-chair term a partner held, on any group. */
  tenuresOfPartner(partnerId: string, knownAt: number): TenureView[] {
    return this.stmt.tenuresOfPartner
      .all({ partnerId, knownAt })
      .map((row) => toTenureView(row, knownAt));
  }

  /** Every tenure on every group (exports). */
  allTenures(knownAt: number): TenureView[] {
    return this.stmt.allTenures.all({ knownAt }).map((row) => toTenureView(row, knownAt));
  }
}

function toGroupView(row: GroupAtRow, seats: SeatView[], coChairs: CoChairView[]): GroupView {
  const [groupId, name, kind, level, parentGroupId, borough, cadence, layMin, layMax] = row;
  const filled = seats.filter((seat) => seat.constituency === 'lay').length;
  return {
    groupId,
    name,
    kind,
    level,
    parentGroupId,
    borough,
    cadence,
    establishedAt: row[10],
    coChairConstituencies: JSON.parse(row[9]) as string[],
    laySeats: { min: layMin, max: layMax, filled, belowMinimum: filled < layMin },
    seats,
    coChairs,
  };
}

function toTenureView(row: TenureRow, knownAt: number): TenureView {
  const endKnown =
    row.to_date !== null && row.end_recorded_at !== null && row.end_recorded_at <= knownAt;
  return {
    groupId: row.group_id,
    seatId: row.seat_id,
    role: row.role,
    electionId: row.election_id,
    partnerId: row.partner_id,
    partnerName: row.partner_name,
    constituency: row.constituency,
    from: row.from_date,
    to: endKnown ? row.to_date : null,
    termEndsOn: row.term_ends_on,
    endReason: endKnown ? row.end_reason : null,
    recordedAt: new Date(row.start_recorded_at).toISOString(),
    endRecordedAt:
      endKnown && row.end_recorded_at !== null ? new Date(row.end_recorded_at).toISOString() : null,
  };
}
