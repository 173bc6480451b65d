import { EXPORT_FILES } from '@app/projections';
/**
 * The soak's traffic: every command route and every read route of the API,
 * as a programme office and its evaluators would use them together. Commands
 * are valid: each kind draws on what earlier commands of the mix created
 * (a seat to vacate, a claim to settle, an election to vote in), tracked
 * here from the replies, so nearly all succeed and a refusal is a finding.
 */

/** Every command route, by the command it sends, and its weight in the mix. */
export const COMMAND_ROUTES = {
  // An office launches a programme rarely (about one a minute at 60 commands/s, where
  // weight 1 launched one every 1.3 s and every all-programme report grew with them).
  LaunchProgramme: { route: 'POST /v1/programmes', weight: 0.05 },
  PublishRoleProfile: { route: 'POST /v1/programmes/:id/role-profiles', weight: 1 },
  RequestNominations: { route: 'POST /v1/programmes/:id/nomination-requests', weight: 1 },
  HoldRecruitmentWorkshop: { route: 'POST /v1/programmes/:id/workshops', weight: 1 },
  AdoptPrinciples: { route: 'POST /v1/programmes/:id/principles', weight: 1 },
  DefineWithdrawalReasons: { route: 'POST /v1/programmes/:id/withdrawal-reasons', weight: 1 },
  SetResponseTargets: { route: 'POST /v1/programmes/:id/response-targets', weight: 1 },
  NominatePartner: { route: 'POST /v1/partners/nominations', weight: 6 },
  RegisterProfessional: { route: 'POST /v1/partners', weight: 1 },
  RecordWorkshopAttendance: { route: 'POST /v1/partners/:id/workshop-attendance', weight: 2 },
  ExpressInterest: { route: 'POST /v1/partners/:id/interest', weight: 2 },
  AppointPartner: { route: 'POST /v1/partners/:id/appointment', weight: 4 },
  CompleteTraining: { route: 'POST /v1/partners/:id/training', weight: 2 },
  Withdraw: { route: 'POST /v1/partners/:id/withdrawal', weight: 1 },
  ErasePersonalData: { route: 'POST /v1/partners/:id/erasure', weight: 1 },
  ClaimExpense: { route: 'POST /v1/partners/:id/expenses', weight: 4 },
  ReimburseExpense: { route: 'POST /v1/partners/:id/expenses/:claimId/reimbursement', weight: 2 },
  RejectExpense: { route: 'POST /v1/partners/:id/expenses/:claimId/rejection', weight: 1 },
  RecordInvolvementPayment: { route: 'POST /v1/partners/:id/involvement-payments', weight: 2 },
  RecordInvolvementPaymentDeclined: {
    route: 'POST /v1/partners/:id/involvement-payments/declined',
    weight: 1,
  },
  EstablishGroup: { route: 'POST /v1/groups', weight: 1 },
  AllocateSeat: { route: 'POST /v1/groups/:id/seats', weight: 4 },
  VacateSeat: { route: 'POST /v1/groups/:id/seats/:seatId/vacate', weight: 2 },
  AppointCoChair: { route: 'POST /v1/groups/:id/co-chairs', weight: 1 },
  StandDownCoChair: { route: 'POST /v1/groups/:id/co-chairs/:partnerId/stand-down', weight: 1 },
  HoldMeeting: { route: 'POST /v1/groups/:id/meetings', weight: 5 },
  RecordDecision: { route: 'POST /v1/groups/:id/decisions', weight: 4 },
  DissolveGroup: { route: 'POST /v1/groups/:id/dissolution', weight: 1 },
  OpenCoChairElection: { route: 'POST /v1/groups/:id/elections', weight: 1 },
  NominateCandidate: { route: 'POST /v1/elections/:id/candidates', weight: 2 },
  CastBallot: { route: 'POST /v1/elections/:id/ballots', weight: 3 },
  CloseElection: { route: 'POST /v1/elections/:id/close', weight: 1 },
  HearFeedback: { route: 'POST /v1/feedback', weight: 8 },
  RespondToFeedback: { route: 'POST /v1/feedback/:id/responses', weight: 5 },
  ReportBack: { route: 'POST /v1/feedback/:id/report-back', weight: 3 },
} as const;

export type CommandKind = keyof typeof COMMAND_ROUTES;

/**
 * Commands with no route of their own: the ledger issues them (a saga), so
 * the mix reaches them through the command that triggers them.
 */
export const COMMANDS_WITHOUT_ROUTES: Readonly<Record<string, string>> = {
  RecordCoChairElection: 'issued by the election-result saga after CloseElection',
};

/** Every read route in the mix, with its weight. */
export const READ_ROUTES = {
  'GET /v1/governance': 4,
  'GET /v1/groups': 1,
  'GET /v1/groups/:id': 2,
  'GET /v1/groups/:id/tenures': 2,
  'GET /v1/groups/:id/elections': 1,
  'GET /v1/elections/:id': 1,
  'GET /v1/partners': 1,
  'GET /v1/partners/:id': 2,
  'GET /v1/partners/:id/tenures': 1,
  'GET /v1/partners/:id/history': 1,
  'GET /v1/programmes': 1,
  'GET /v1/programmes/:id': 1,
  'GET /v1/influence': 2,
  'GET /v1/feedback/:id': 2,
  'GET /v1/reports/recruitment-funnel': 2,
  'GET /v1/reports/participation': 2,
  'GET /v1/reports/representation': 1,
  'GET /v1/reports/expenses': 1,
  'GET /v1/reports/response-clock': 1,
  'GET /v1/reports/involvement-cost': 1,
  'GET /v1/reports/gripp2': 1,
  'GET /v1/exports/memberships.popolo.json': 1,
  'GET /v1/exports/:name': 1,
  'GET /v1/timeline': 2,
  'GET /v1/audit/events': 1,
  'GET /v1/audit/digest': 1,
  'GET /v1/audit/public-key': 1,
  'GET /v1/me': 1,
} as const;

export type ReadRoute = keyof typeof READ_ROUTES;

/**
 * GET routes outside the steady mix, and why. Each is still a read the app
 * serves; these are whole-log operations or the live stream itself.
 */
export const READS_OUTSIDE_MIX: Readonly<Record<string, string>> = {
  'GET /v1/events/live': 'the 20 SSE clients hold this route open for the whole soak',
  'GET /v1/replay': 'replays every read model up to a point: a whole-log audit operation',
  'GET /v1/audit/verify': 'verifies every event’s hash chain: a whole-log audit operation',
  'GET /v1/reports/gripp2.md': 'the GRIPP2 report in the mix (JSON), rendered as Markdown',
  'GET /v1/reports/gripp2.html': 'the GRIPP2 report in the mix (JSON), rendered as HTML',
};

export const EXPORT_NAMES = EXPORT_FILES;

/** One request the mix wants sent, and what to learn from its reply. */
export interface PlannedRequest {
  /** The command type, or the read route. */
  kind: string;
  /** `POST /v1/groups/:id/seats`: how the figures name it. */
  route: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Updates the mix's picture of the ledger from the reply. */
  settle(status: number): void;
}

/**
 * Smooth weighted round-robin: a fixed, interleaved sequence in which each
 * key appears in proportion to its weight (every key in every cycle).
 */
export class WeightedCycle<K extends string> {
  private readonly current = new Map<K, number>();
  private readonly total: number;

  constructor(private readonly weights: ReadonlyArray<readonly [K, number]>) {
    this.total = weights.reduce((sum, [, w]) => sum + w, 0);
    for (const [key] of weights) this.current.set(key, 0);
  }

  next(): K {
    let best: K | undefined;
    let bestValue = -Infinity;
    for (const [key, weight] of this.weights) {
      const value = this.current.get(key)! + weight;
      this.current.set(key, value);
      if (value > bestValue) {
        bestValue = value;
        best = key;
      }
    }
    this.current.set(best!, bestValue - this.total);
    return best!;
  }
}

interface Seat {
  groupId: string;
  seatId: string;
  partnerId: string;
}
interface Election {
  electionId: string;
  groupId: string;
  electorate: string[];
  candidates: string[];
  voted: string[];
  voting: boolean;
}

const take = <T>(pool: T[], ok: (item: T) => boolean = () => true): T | undefined => {
  const index = pool.findIndex(ok);
  return index < 0 ? undefined : pool.splice(index, 1)[0];
};
const ok = (status: number) => status >= 200 && status < 300;

/** Setup sizes: the structure the mix works in, created before timing starts. */
export const SETUP = { groups: 20, partners: 120, seatsPerGroup: 4, professionals: 10 } as const;

/**
 * The ledger as the mix knows it: what exists to act on, from replies. An
 * item is taken out of its pool while a command on it is in flight, and put
 * back (or moved on) when the reply comes, so no two requests race on it.
 */
export class SoakWorld {
  readonly programme: string;
  private n = 0;
  private readonly programmes: Array<{ id: string; principles: number }> = [];
  private readonly campaigns: Array<{ programmeId: string; campaign: string }> = [];
  /** The setup's groups (seats, meetings, decisions, elections) and ones made to be dissolved. */
  readonly groups: string[] = [];
  private readonly spareGroups: string[] = [];
  private readonly nominees: Array<{ id: string; attended: boolean; interested: boolean }> = [];
  /** Appointed lay partners with no seat: free to seat, withdraw, pay. */
  private readonly free: string[] = [];
  private readonly seats: Seat[] = [];
  private readonly coChairs: Seat[] = [];
  private readonly withdrawn: string[] = [];
  private readonly claims: Array<{ partnerId: string; claimId: string }> = [];
  private readonly elections: Election[] = [];
  private readonly heard: string[] = [];
  private readonly responded: string[] = [];
  private readonly decisions: Array<{ groupId: string; decisionId: string }> = [];
  /** Ids known to exist, for reads. */
  readonly known = {
    partners: [] as string[],
    feedback: [] as string[],
    elections: [] as string[],
  };
  private readonly readCycle = new WeightedCycle(
    Object.entries(READ_ROUTES) as Array<[ReadRoute, number]>,
  );
  private readonly commandCycle: WeightedCycle<CommandKind>;
  private lastAt = 0;

  constructor(
    /** Prefix of every id the mix creates: runs on the same ledger never collide. */
    readonly run: string,
    weights: Partial<Record<CommandKind, number>> = {},
  ) {
    this.programme = `${run}-prog`;
    this.commandCycle = new WeightedCycle(
      (Object.keys(COMMAND_ROUTES) as CommandKind[]).map(
        (kind) => [kind, weights[kind] ?? COMMAND_ROUTES[kind].weight] as const,
      ),
    );
  }

  /** A business time now (a second back, so no clock skew makes it future), never repeating. */
  now(): string {
    this.lastAt = Math.max(this.lastAt + 1, Date.now() - 1_000);
    return new Date(this.lastAt).toISOString();
  }

  private id(kind: string): string {
    return `${this.run}-${kind}${this.n++}`;
  }

  private command(
    kind: CommandKind,
    path: string,
    body: Record<string, unknown>,
    settle: (status: number) => void,
  ): PlannedRequest {
    return {
      kind,
      route: COMMAND_ROUTES[kind].route,
      method: 'POST',
      path,
      body: { ...body, occurredAt: this.now() },
      settle,
    };
  }

  /** The structure, in phases: each phase's requests may run together, phases in order. */
  setupPhases(): Array<() => PlannedRequest[]> {
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    return [
      () => [this.plan('LaunchProgramme', this.programme)!],
      () => range(SETUP.groups).map(() => this.plan('EstablishGroup', 'setup')!),
      () => [
        ...range(SETUP.partners).map(() => this.plan('NominatePartner')!),
        ...range(SETUP.professionals).map(() => this.plan('RegisterProfessional')!),
        this.plan('RequestNominations')!,
      ],
      () => range(SETUP.partners).map(() => this.plan('AppointPartner')!),
      () =>
        range(SETUP.groups * SETUP.seatsPerGroup)
          .map(() => this.plan('AllocateSeat'))
          .filter((r): r is PlannedRequest => r !== undefined),
      // One election, so every read route has something to show from the start.
      () => [this.plan('OpenCoChairElection')!],
    ];
  }

  /** The next command of the mix: its kind by weight, or what the kind needs first. */
  nextCommand(): PlannedRequest {
    const kind = this.commandCycle.next();
    return this.plan(kind) ?? this.plan(PRODUCER[kind]) ?? this.plan('HearFeedback')!;
  }

  /** A request of `kind` on what exists now, or undefined when nothing fits. */
  plan(kind: CommandKind, purpose?: string): PlannedRequest | undefined {
    const programme = () =>
      this.programmes.length === 0
        ? undefined
        : this.programmes[this.n % this.programmes.length]!.id;
    switch (kind) {
      case 'LaunchProgramme': {
        const programmeId = purpose ?? this.id('prog');
        return this.command(
          kind,
          '/v1/programmes',
          { programmeId, name: 'Integrated care', boroughs: ['Brent', 'Ealing', 'Harrow'] },
          (s) => ok(s) && this.programmes.push({ id: programmeId, principles: 0 }),
        );
      }
      case 'PublishRoleProfile': {
        const id = programme();
        if (!id) return undefined;
        return this.command(
          kind,
          `/v1/programmes/${id}/role-profiles`,
          {
            meetingsPerMonth: 2,
            hoursPerMonth: 8,
            paid: false,
            expensesReimbursed: true,
            summary: 'Two meetings a month; expenses reimbursed',
          },
          () => undefined,
        );
      }
      case 'RequestNominations': {
        const id = programme();
        if (!id) return undefined;
        const campaign = this.id('campaign');
        return this.command(
          kind,
          `/v1/programmes/${id}/nomination-requests`,
          {
            campaign,
            organisations: [
              { name: 'Healthwatch Brent', kind: 'healthwatch' },
              { name: 'Age UK Harrow', kind: 'charity' },
            ],
          },
          (s) => ok(s) && this.campaigns.push({ programmeId: id, campaign }),
        );
      }
      case 'HoldRecruitmentWorkshop': {
        const c = this.campaigns[this.n % Math.max(1, this.campaigns.length)];
        if (!c) return undefined;
        return this.command(
          kind,
          `/v1/programmes/${c.programmeId}/workshops`,
          { workshopId: this.id('workshop'), attendees: 12, campaign: c.campaign },
          () => undefined,
        );
      }
      case 'AdoptPrinciples': {
        const p = take(this.programmes, (x) => x.id !== this.programme);
        if (!p) return undefined;
        return this.command(
          kind,
          `/v1/programmes/${p.id}/principles`,
          {
            version: p.principles + 1,
            statements: ['I am treated as an equal partner'],
            adoptedBy: this.groups[0] ?? 'g0',
          },
          (s) => this.programmes.push({ ...p, principles: p.principles + (ok(s) ? 1 : 0) }),
        );
      }
      case 'DefineWithdrawalReasons':
      case 'SetResponseTargets': {
        // Not on the setup's programme: its partners withdraw for its default reasons.
        const p = this.programmes.find((x) => x.id !== this.programme);
        if (!p) return undefined;
        return kind === 'DefineWithdrawalReasons'
          ? this.command(
              kind,
              `/v1/programmes/${p.id}/withdrawal-reasons`,
              {
                reasons: [
                  { key: 'moved-away', label: 'Moved away' },
                  { key: 'other', label: 'Other' },
                ],
              },
              () => undefined,
            )
          : this.command(
              kind,
              `/v1/programmes/${p.id}/response-targets`,
              { firstResponseDays: 20, reportBackDays: 60 },
              () => undefined,
            );
      }
      case 'NominatePartner': {
        const partnerId = this.id('p');
        return this.command(
          kind,
          '/v1/partners/nominations',
          {
            partnerId,
            name: 'A lay partner',
            nominatedBy: { organisation: 'Healthwatch Brent', organisationKind: 'healthwatch' },
            programmeId: this.programme,
          },
          (s) => {
            if (!ok(s)) return;
            this.nominees.push({ id: partnerId, attended: false, interested: false });
            this.known.partners.push(partnerId);
          },
        );
      }
      case 'RegisterProfessional': {
        const partnerId = this.id('pro');
        return this.command(
          kind,
          '/v1/partners',
          {
            partnerId,
            name: 'A commissioner',
            organisation: 'Ealing CCG',
            constituency: 'ccg',
            programmeId: this.programme,
          },
          (s) => ok(s) && this.known.partners.push(partnerId),
        );
      }
      case 'RecordWorkshopAttendance':
      case 'ExpressInterest': {
        const field = kind === 'ExpressInterest' ? 'interested' : 'attended';
        const nominee = take(this.nominees, (x) => !x[field]);
        if (!nominee) return undefined;
        return kind === 'ExpressInterest'
          ? this.command(kind, `/v1/partners/${nominee.id}/interest`, {}, (s) =>
              this.nominees.push({ ...nominee, interested: nominee.interested || ok(s) }),
            )
          : this.command(
              kind,
              `/v1/partners/${nominee.id}/workshop-attendance`,
              { workshopId: this.id('workshop') },
              (s) => this.nominees.push({ ...nominee, attended: nominee.attended || ok(s) }),
            );
      }
      case 'AppointPartner': {
        const nominee = take(this.nominees);
        if (!nominee) return undefined;
        return this.command(
          kind,
          `/v1/partners/${nominee.id}/appointment`,
          { body: 'forum' },
          (s) => (ok(s) ? this.free.push(nominee.id) : this.nominees.push(nominee)),
        );
      }
      case 'CompleteTraining':
      case 'ClaimExpense':
      case 'RecordInvolvementPayment':
      case 'RecordInvolvementPaymentDeclined': {
        const partnerId = take(this.free);
        if (!partnerId) return undefined;
        const back = () => this.free.push(partnerId);
        if (kind === 'CompleteTraining') {
          return this.command(
            kind,
            `/v1/partners/${partnerId}/training`,
            { course: 'Induction' },
            back,
          );
        }
        if (kind === 'ClaimExpense') {
          const claimId = this.id('claim');
          return this.command(
            kind,
            `/v1/partners/${partnerId}/expenses`,
            {
              claimId,
              amountPence: 1_250,
              category: 'travel',
              // A full time: a date alone is midnight, before a partner who joined today.
              incurredOn: this.now(),
            },
            (s) => {
              back();
              if (ok(s)) this.claims.push({ partnerId, claimId });
            },
          );
        }
        return this.command(
          kind,
          `/v1/partners/${partnerId}/involvement-payments${kind === 'RecordInvolvementPayment' ? '' : '/declined'}`,
          { paymentId: this.id('pay'), amountPence: 2_500, currency: 'GBP' },
          back,
        );
      }
      case 'Withdraw': {
        // Keep enough partners to seat: withdraw only from a comfortable pool.
        if (this.free.length < 10) return undefined;
        const partnerId = take(this.free)!;
        return this.command(
          kind,
          `/v1/partners/${partnerId}/withdrawal`,
          { reason: 'moved-away' },
          (s) => (ok(s) ? this.withdrawn.push(partnerId) : this.free.push(partnerId)),
        );
      }
      case 'ErasePersonalData': {
        const partnerId = take(this.withdrawn);
        if (!partnerId) return undefined;
        return this.command(
          kind,
          `/v1/partners/${partnerId}/erasure`,
          {},
          (s) => !ok(s) && this.withdrawn.push(partnerId),
        );
      }
      case 'ReimburseExpense':
      case 'RejectExpense': {
        const claim = take(this.claims);
        if (!claim) return undefined;
        const base = `/v1/partners/${claim.partnerId}/expenses/${claim.claimId}`;
        return kind === 'ReimburseExpense'
          ? this.command(kind, `${base}/reimbursement`, {}, () => undefined)
          : this.command(kind, `${base}/rejection`, { reason: 'No receipt' }, () => undefined);
      }
      case 'EstablishGroup': {
        const groupId = this.id('group');
        const setup = purpose === 'setup';
        return this.command(
          kind,
          '/v1/groups',
          {
            groupId,
            name: setup ? 'Workstream' : 'Task and finish group',
            kind: 'workstream',
            level: 'programme',
            cadence: 'monthly',
            laySeats: { min: 0, max: 1000 },
            coChairConstituencies: ['lay', 'ccg'],
            programmeId: this.programme,
          },
          (s) => ok(s) && (setup ? this.groups : this.spareGroups).push(groupId),
        );
      }
      case 'DissolveGroup': {
        const groupId = take(this.spareGroups);
        if (!groupId) return undefined;
        return this.command(
          kind,
          `/v1/groups/${groupId}/dissolution`,
          { reason: 'Work complete' },
          () => undefined,
        );
      }
      case 'AllocateSeat': {
        if (this.groups.length === 0) return undefined;
        const partnerId = take(this.free);
        if (!partnerId) return undefined;
        const groupId = this.groups[this.n % this.groups.length]!;
        const seatId = this.id('seat');
        return this.command(
          kind,
          `/v1/groups/${groupId}/seats`,
          { seatId, partnerId, constituency: 'lay' },
          (s) =>
            ok(s) ? this.seats.push({ groupId, seatId, partnerId }) : this.free.push(partnerId),
        );
      }
      case 'VacateSeat': {
        // Keep every group with members to meet and decide.
        if (this.seats.length <= this.groups.length * 2) return undefined;
        const seat = take(this.seats);
        if (!seat) return undefined;
        return this.command(
          kind,
          `/v1/groups/${seat.groupId}/seats/${seat.seatId}/vacate`,
          { reason: 'term ended' },
          (s) => (ok(s) ? this.free.push(seat.partnerId) : this.seats.push(seat)),
        );
      }
      case 'AppointCoChair': {
        const seat = take(this.seats, (x) => !this.coChairs.some((c) => c.groupId === x.groupId));
        if (!seat) return undefined;
        // Held here while in flight, so no second lay co-chair is asked for this group.
        this.coChairs.push(seat);
        return this.command(
          kind,
          `/v1/groups/${seat.groupId}/co-chairs`,
          { partnerId: seat.partnerId, constituency: 'lay' },
          (s) => {
            if (ok(s)) return;
            this.coChairs.splice(this.coChairs.indexOf(seat), 1);
            this.seats.push(seat);
          },
        );
      }
      case 'StandDownCoChair': {
        const seat = this.coChairs.shift();
        if (!seat) return undefined;
        return this.command(
          kind,
          `/v1/groups/${seat.groupId}/co-chairs/${seat.partnerId}/stand-down`,
          { reason: 'Stepping back' },
          (s) => (ok(s) ? this.seats.push(seat) : this.coChairs.push(seat)),
        );
      }
      case 'HoldMeeting':
      case 'RecordDecision': {
        const groupId = this.groups[this.n++ % Math.max(1, this.groups.length)];
        if (!groupId) return undefined;
        const members = [...this.seats, ...this.coChairs]
          .filter((s) => s.groupId === groupId)
          .map((s) => s.partnerId);
        if (members.length === 0) return undefined;
        if (kind === 'HoldMeeting') {
          return this.command(
            kind,
            `/v1/groups/${groupId}/meetings`,
            { meetingId: this.id('meeting'), attendees: members.slice(0, 6), durationMinutes: 90 },
            () => undefined,
          );
        }
        const decisionId = this.id('decision');
        return this.command(
          kind,
          `/v1/groups/${groupId}/decisions`,
          {
            decisionId,
            summary: 'Papers go out a week ahead',
            layMembersPresent: members.slice(0, 3),
          },
          (s) => {
            if (!ok(s)) return;
            this.decisions.push({ groupId, decisionId });
            if (this.decisions.length > 200) this.decisions.shift();
          },
        );
      }
      case 'OpenCoChairElection': {
        const groupId = this.groups[this.n % Math.max(1, this.groups.length)];
        if (!groupId || this.free.length < 3) return undefined;
        const electorate = this.free.slice(0, 3);
        const electionId = this.id('election');
        return this.command(
          kind,
          `/v1/groups/${groupId}/elections`,
          { electionId, constituency: 'ccg', electorate },
          (s) => {
            if (!ok(s)) return;
            this.elections.push({
              electionId,
              groupId,
              electorate,
              candidates: [],
              voted: [],
              voting: false,
            });
            this.known.elections.push(electionId);
          },
        );
      }
      case 'NominateCandidate': {
        const election = take(
          this.elections,
          (e) => !e.voting && e.candidates.length < e.electorate.length,
        );
        if (!election) return undefined;
        const partnerId = election.electorate.find((p) => !election.candidates.includes(p))!;
        return this.command(
          kind,
          `/v1/elections/${election.electionId}/candidates`,
          { partnerId },
          (s) =>
            this.elections.push(
              ok(s) ? { ...election, candidates: [...election.candidates, partnerId] } : election,
            ),
        );
      }
      case 'CastBallot': {
        const election = take(
          this.elections,
          (e) => e.candidates.length > 0 && e.voted.length < e.electorate.length,
        );
        if (!election) return undefined;
        const voterId = election.electorate.find((p) => !election.voted.includes(p))!;
        return this.command(
          kind,
          `/v1/elections/${election.electionId}/ballots`,
          { voterId, candidateId: election.candidates[0]! },
          (s) =>
            this.elections.push(
              ok(s) ? { ...election, voting: true, voted: [...election.voted, voterId] } : election,
            ),
        );
      }
      case 'CloseElection': {
        const election = take(this.elections, (e) => e.voted.length > 0);
        if (!election) return undefined;
        return this.command(
          kind,
          `/v1/elections/${election.electionId}/close`,
          {},
          (s) => !ok(s) && this.elections.push(election),
        );
      }
      case 'HearFeedback': {
        const feedbackId = this.id('feedback');
        const groupId = this.groups[this.n % Math.max(1, this.groups.length)];
        return this.command(
          kind,
          '/v1/feedback',
          {
            feedbackId,
            channel: 'forum',
            kind: 'idea',
            summary: 'Evening GP access matters',
            ...(groupId ? { groupId } : {}),
          },
          (s) => {
            if (!ok(s)) return;
            this.heard.push(feedbackId);
            this.known.feedback.push(feedbackId);
          },
        );
      }
      case 'RespondToFeedback': {
        const feedbackId = take(this.heard);
        if (!feedbackId) return undefined;
        return this.command(
          kind,
          `/v1/feedback/${feedbackId}/responses`,
          { outcome: 'noted', respondedBy: 'programme office' },
          (s) => ok(s) && this.responded.push(feedbackId),
        );
      }
      case 'ReportBack': {
        const feedbackId = take(this.responded);
        if (!feedbackId) return undefined;
        return this.command(
          kind,
          `/v1/feedback/${feedbackId}/report-back`,
          { how: 'forum newsletter' },
          () => undefined,
        );
      }
    }
  }

  /** The next read of the mix, its route by weight, on ids the ledger holds. */
  nextRead(): PlannedRequest {
    return this.read(this.readCycle.next());
  }

  /** A read of `route` on ids the ledger holds (the generated ledger's before the mix made any). */
  read(route: ReadRoute): PlannedRequest {
    const i = this.n++;
    const pick = (items: readonly string[], fallback: string) =>
      items.length === 0 ? fallback : items[i % items.length]!;
    const group = pick(this.groups, 'g0');
    const partner = pick(this.known.partners, 'p0');
    const day = new Date(Date.UTC(2013, 9, 1) + ((i * 37) % 4_000) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    // Evaluators read one programme (the page's picker); an integrator sometimes every one.
    const scope = i % 2 === 0 ? `?programmeId=${this.programme}` : '';
    const paths: Record<ReadRoute, string> = {
      'GET /v1/governance': `/v1/governance?asOf=${day}`,
      'GET /v1/groups': '/v1/groups',
      'GET /v1/groups/:id': `/v1/groups/${group}`,
      'GET /v1/groups/:id/tenures': `/v1/groups/${i % 2 === 0 ? group : `g${i % 200}`}/tenures`,
      'GET /v1/groups/:id/elections': `/v1/groups/${group}/elections`,
      'GET /v1/elections/:id': `/v1/elections/${pick(this.known.elections, 'none')}`,
      'GET /v1/partners': '/v1/partners',
      'GET /v1/partners/:id': `/v1/partners/${partner}`,
      'GET /v1/partners/:id/tenures': `/v1/partners/${i % 2 === 0 ? partner : `p${i % 2_000}`}/tenures`,
      'GET /v1/partners/:id/history': `/v1/partners/${partner}/history`,
      'GET /v1/programmes': '/v1/programmes',
      'GET /v1/programmes/:id': `/v1/programmes/${this.programme}`,
      'GET /v1/influence': '/v1/influence',
      'GET /v1/feedback/:id': `/v1/feedback/${pick(this.known.feedback, 'f4')}`,
      'GET /v1/reports/recruitment-funnel': `/v1/reports/recruitment-funnel${scope}`,
      'GET /v1/reports/participation': `/v1/reports/participation${scope}`,
      'GET /v1/reports/representation': `/v1/reports/representation${scope}`,
      'GET /v1/reports/expenses': `/v1/reports/expenses${scope}`,
      'GET /v1/reports/response-clock': `/v1/reports/response-clock${scope}`,
      'GET /v1/reports/involvement-cost': `/v1/reports/involvement-cost${scope}`,
      'GET /v1/reports/gripp2': `/v1/reports/gripp2?programmeId=${this.programme}`,
      // A file is one programme's table: it names the programme (422 programme_required otherwise).
      'GET /v1/exports/memberships.popolo.json': `/v1/exports/memberships.popolo.json?programmeId=${this.programme}`,
      'GET /v1/exports/:name': `/v1/exports/${EXPORT_NAMES[i % EXPORT_NAMES.length]}?programmeId=${this.programme}`,
      'GET /v1/timeline': `/v1/timeline?limit=100&groupId=${group}`,
      'GET /v1/audit/events': '/v1/audit/events?limit=100',
      'GET /v1/audit/digest': '/v1/audit/digest',
      'GET /v1/audit/public-key': '/v1/audit/public-key',
      'GET /v1/me': '/v1/me',
    };
    return { kind: route, route, method: 'GET', path: paths[route], settle: () => undefined };
  }
}

/** What a command kind needs made first, when nothing it could act on exists yet. */
const PRODUCER: Record<CommandKind, CommandKind> = {
  LaunchProgramme: 'LaunchProgramme',
  PublishRoleProfile: 'LaunchProgramme',
  RequestNominations: 'LaunchProgramme',
  HoldRecruitmentWorkshop: 'RequestNominations',
  AdoptPrinciples: 'LaunchProgramme',
  DefineWithdrawalReasons: 'LaunchProgramme',
  SetResponseTargets: 'LaunchProgramme',
  NominatePartner: 'NominatePartner',
  RegisterProfessional: 'RegisterProfessional',
  RecordWorkshopAttendance: 'NominatePartner',
  ExpressInterest: 'NominatePartner',
  AppointPartner: 'NominatePartner',
  CompleteTraining: 'AppointPartner',
  Withdraw: 'AppointPartner',
  ErasePersonalData: 'Withdraw',
  ClaimExpense: 'AppointPartner',
  ReimburseExpense: 'ClaimExpense',
  RejectExpense: 'ClaimExpense',
  RecordInvolvementPayment: 'AppointPartner',
  RecordInvolvementPaymentDeclined: 'AppointPartner',
  EstablishGroup: 'EstablishGroup',
  AllocateSeat: 'AppointPartner',
  VacateSeat: 'AllocateSeat',
  AppointCoChair: 'AllocateSeat',
  StandDownCoChair: 'AppointCoChair',
  HoldMeeting: 'AllocateSeat',
  RecordDecision: 'AllocateSeat',
  DissolveGroup: 'EstablishGroup',
  OpenCoChairElection: 'AppointPartner',
  NominateCandidate: 'OpenCoChairElection',
  CastBallot: 'NominateCandidate',
  CloseElection: 'CastBallot',
  HearFeedback: 'HearFeedback',
  RespondToFeedback: 'HearFeedback',
  ReportBack: 'RespondToFeedback',
};
