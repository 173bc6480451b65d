import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';

export interface CandidateView {
  partnerId: string;
  partnerName: string | null;
  nominatedAt: string;
}

export interface TallyView {
  partnerId: string;
  partnerName: string | null;
  votes: number;
}

/** One co-chair election (one round of voting), as of a date, as known at a time. */
export interface ElectionView {
  electionId: string;
  groupId: string;
  constituency: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  electorateSize: number;
  candidates: CandidateView[];
  /** Electors marked as having voted (from `VoterMarked`). */
  turnout: number;
  /** Votes per candidate (from `BallotCast`), once the election has closed; `null` while open. */
  tally: TallyView[] | null;
  outcome: 'elected' | 'tied' | 'no-candidates' | null;
  tie: boolean;
  electedPartnerId: string | null;
  /** 1 for a first election; n for the (n-1)th re-run after a tie. */
  round: number;
  /** The tied election this one re-runs. */
  rerunOf: string | null;
  /** The election that re-ran this one after its tie. */
  rerunBy: string | null;
  recordedAt: string;
  closedRecordedAt: string | null;
}

interface ElectionRow {
  election_id: string;
  group_id: string;
  constituency: string;
  electorate_size: number;
  opened_at: string;
  opened_recorded_at: number;
  closed_at: string | null;
  closed_recorded_at: number | null;
  outcome: ElectionView['outcome'];
  elected_partner_id: string | null;
}

interface CandidateRow {
  election_id: string;
  partner_id: string;
  partner_name: string | null;
  nominated_at: string;
}

interface CountRow {
  election_id: string;
  candidate_id: string | null;
  n: number;
}

const OPENED = 'e.opened_at <= @asOf AND e.opened_recorded_at <= @knownAt';

/**
 * Elections of a group, as of a business date, as known at a time. The tally
 * counts ballots, the turnout counts marks; the two are never joined.
 */
export class ElectionQueries {
  private readonly stmt: {
    ofGroup: Database.Statement<[TimePoint & { groupId: string }], ElectionRow>;
    candidates: Database.Statement<[TimePoint & { groupId: string }], CandidateRow>;
    turnout: Database.Statement<[TimePoint & { groupId: string }], CountRow>;
    tally: Database.Statement<[TimePoint & { groupId: string }], CountRow>;
    groupOf: Database.Statement<[string], { group_id: string }>;
    groupsWithElections: Database.Statement<[TimePoint], string>;
  };

  constructor(db: Database.Database) {
    const ofGroup = `SELECT e.election_id FROM el_elections e WHERE e.group_id = @groupId AND ${OPENED}`;
    this.stmt = {
      ofGroup: db.prepare(
        `SELECT e.* FROM el_elections e WHERE e.group_id = @groupId AND ${OPENED}
         ORDER BY e.opened_at, e.opened_recorded_at, e.election_id`,
      ),
      candidates: db.prepare(
        `SELECT c.election_id, c.partner_id, p.name AS partner_name, c.nominated_at
         FROM el_candidates c LEFT JOIN gov_partners p ON p.partner_id = c.partner_id
         WHERE c.election_id IN (${ofGroup})
           AND c.nominated_at <= @asOf AND c.recorded_at <= @knownAt
         ORDER BY c.nominated_at, c.partner_id`,
      ),
      turnout: db.prepare(
        `SELECT election_id, NULL AS candidate_id, count(*) AS n FROM el_marks
         WHERE election_id IN (${ofGroup}) AND marked_at <= @asOf AND recorded_at <= @knownAt
         GROUP BY election_id`,
      ),
      tally: db.prepare(
        `SELECT election_id, candidate_id, count(*) AS n FROM el_ballots
         WHERE election_id IN (${ofGroup}) AND cast_at <= @asOf AND recorded_at <= @knownAt
         GROUP BY election_id, candidate_id`,
      ),
      groupOf: db.prepare('SELECT group_id FROM el_elections WHERE election_id = ?'),
      groupsWithElections: db
        .prepare<[TimePoint], string>(
          `SELECT DISTINCT e.group_id FROM el_elections e WHERE ${OPENED}`,
        )
        .pluck(),
    };
  }

  /** The groups `ofGroup` finds an election of at this time point: one query, not one per group. */
  groupsWithElections(at: TimePoint): Set<string> {
    return new Set(this.stmt.groupsWithElections.all(at));
  }

  /** Every election of a group opened by `asOf` and known at `knownAt`, in the order they opened. */
  ofGroup(groupId: string, at: TimePoint): ElectionView[] {
    const query = { ...at, groupId };
    const rows = this.stmt.ofGroup.all(query);
    const candidates = groupBy(this.stmt.candidates.all(query), (row) => row.election_id);
    const turnout = new Map(this.stmt.turnout.all(query).map((row) => [row.election_id, row.n]));
    const votes = groupBy(this.stmt.tally.all(query), (row) => row.election_id);
    const views = rows.map((row) =>
      this.view(row, at, candidates.get(row.election_id) ?? [], turnout, votes),
    );
    linkReruns(views);
    return views;
  }

  /** One election, or `null` if it had not opened by `asOf` or was not known at `knownAt`. */
  election(electionId: string, at: TimePoint): ElectionView | null {
    const groupId = this.stmt.groupOf.get(electionId)?.group_id;
    if (groupId === undefined) return null;
    return this.ofGroup(groupId, at).find((e) => e.electionId === electionId) ?? null;
  }

  private view(
    row: ElectionRow,
    at: TimePoint,
    candidates: CandidateRow[],
    turnout: Map<string, number>,
    votes: Map<string, CountRow[]>,
  ): ElectionView {
    const closed =
      row.closed_at !== null &&
      row.closed_at <= at.asOf &&
      row.closed_recorded_at !== null &&
      row.closed_recorded_at <= at.knownAt;
    const counts = new Map(
      (votes.get(row.election_id) ?? []).map((count) => [count.candidate_id, count.n]),
    );
    return {
      electionId: row.election_id,
      groupId: row.group_id,
      constituency: row.constituency,
      status: closed ? 'closed' : 'open',
      openedAt: row.opened_at,
      closedAt: closed ? row.closed_at : null,
      electorateSize: row.electorate_size,
      candidates: candidates.map((c) => ({
        partnerId: c.partner_id,
        partnerName: c.partner_name,
        nominatedAt: c.nominated_at,
      })),
      turnout: turnout.get(row.election_id) ?? 0,
      tally: closed
        ? candidates
            .map((c) => ({
              partnerId: c.partner_id,
              partnerName: c.partner_name,
              votes: counts.get(c.partner_id) ?? 0,
            }))
            .sort((a, b) => b.votes - a.votes || a.partnerId.localeCompare(b.partnerId))
        : null,
      outcome: closed ? row.outcome : null,
      tie: closed && row.outcome === 'tied',
      electedPartnerId: closed ? row.elected_partner_id : null,
      round: 1,
      rerunOf: null,
      rerunBy: null,
      recordedAt: new Date(row.opened_recorded_at).toISOString(),
      closedRecordedAt:
        closed && row.closed_recorded_at !== null
          ? new Date(row.closed_recorded_at).toISOString()
          : null,
    };
  }
}

/**
 * An election re-runs the one before it for the same co-chair constituency
 * when that one closed tied no later than this one opened.
 */
function linkReruns(views: ElectionView[]): void {
  const last = new Map<string, ElectionView>();
  for (const view of views) {
    const previous = last.get(view.constituency);
    if (
      previous &&
      previous.tie &&
      previous.closedAt !== null &&
      previous.closedAt <= view.openedAt
    ) {
      view.rerunOf = previous.electionId;
      view.round = previous.round + 1;
      previous.rerunBy = view.electionId;
    }
    last.set(view.constituency, view);
  }
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row)) ?? [];
    list.push(row);
    map.set(key(row), list);
  }
  return map;
}
