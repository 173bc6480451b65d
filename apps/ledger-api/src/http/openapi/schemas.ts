import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
export type SchemaObject = Exclude<Schema, { $ref: string }>;

/**
 * Schemas of the OpenAPI document written once here: the shared bodies
 * (errors, command answers) and the read routes' answers, registered as
 * components and referenced by `@QueryRoute({ response: ref('…') })`.
 * OpenAPI 3.0: `nullable`, never `type: 'null'`.
 */

/** A date (2014-03-01) or an ISO 8601 instant, one string schema (never an overlapping oneOf). */
export const INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';
/** A non-negative integer position in `$all`. */
export const POSITION_PATTERN = '^\\d{1,18}$';

type ComponentName =
  | 'ErrorBody'
  | 'CommandAccepted'
  | 'GroupView'
  | 'TenureView'
  | 'Governance'
  | 'GroupTenures'
  | 'Replay'
  | 'LedgerVerification'
  | 'SignedDigest'
  | 'SigningPublicKey'
  | 'PartnerList'
  | 'Partner'
  | 'PartnerTenures'
  | 'PartnerHistory'
  | 'Influence'
  | 'Feedback'
  | 'RecruitmentFunnel'
  | 'Participation'
  | 'Representation'
  | 'Expenses'
  | 'ResponseClock'
  | 'ResponseClockFigures'
  | 'InvolvementCost'
  | 'Gripp2Figure'
  | 'Gripp2Item'
  | 'Gripp2Report'
  | 'PopoloMemberships'
  | 'Me'
  | 'Health';

/** A reference to one of the components below. */
export const ref = (name: ComponentName): Schema => ({ $ref: `#/components/schemas/${name}` });

const string: SchemaObject = { type: 'string' };
const instant: SchemaObject = { type: 'string', format: 'date-time' };
const integer: SchemaObject = { type: 'integer' };
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const array = (items: Schema): SchemaObject => ({ type: 'array', items });
/** Every property listed is always present (null where it has no value). */
const object = (properties: Record<string, Schema>): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
});
/** Rows whose columns this document does not fix. */
const rows = array({ type: 'object', additionalProperties: true });
/** A body whose documented fields are always present, with more beside them. */
const open = (properties: Record<string, Schema>): SchemaObject => ({
  ...object(properties),
  additionalProperties: true,
});

/** A schema with more documented properties that a body may leave out. */
const withOptional = (schema: SchemaObject, properties: Record<string, Schema>): SchemaObject => ({
  ...schema,
  properties: { ...schema.properties, ...properties },
});

export const sharedSchemas: Record<string, SchemaObject> = {
  ErrorBody: {
    type: 'object',
    required: ['code', 'message', 'details'],
    properties: {
      code: { type: 'string', description: 'Machine-readable, stable', example: 'lay_seats_full' },
      message: { type: 'string' },
      details: { type: 'object', additionalProperties: true },
    },
  },
  CommandAccepted: {
    type: 'object',
    required: ['id', 'revision', 'position', 'recordedAt'],
    additionalProperties: true,
    description: 'Ids the route generated (e.g. `seatId`, `ballotId`) are added beside these',
    properties: {
      id: { type: 'string', description: 'Id of the thing the command created or changed' },
      revision: { type: 'integer', description: "The stream's revision now: send as If-Match" },
      position: {
        type: 'integer',
        description: 'Position in $all: pass as minPosition to read your write',
      },
      recordedAt: {
        type: 'string',
        format: 'date-time',
        description: 'When the ledger recorded the write (ms): pass as knownAt to see it',
      },
    },
  },
};

const seat = object({
  seatId: string,
  partnerId: string,
  partnerName: nullable(string),
  constituency: string,
  since: instant,
  termEndsOn: nullable(instant),
});

const coChair = object({
  partnerId: string,
  partnerName: nullable(string),
  constituency: string,
  seatId: string,
  since: instant,
  electionId: nullable(string),
});

const group = object({
  groupId: string,
  name: string,
  kind: string,
  level: string,
  parentGroupId: nullable(string),
  borough: nullable(string),
  cadence: string,
  establishedAt: instant,
  coChairConstituencies: array(string),
  laySeats: object({
    min: integer,
    max: integer,
    filled: integer,
    belowMinimum: { type: 'boolean' },
  }),
  seats: array(seat),
  coChairs: array(coChair),
});

const tenure = object({
  groupId: string,
  seatId: string,
  role: string,
  electionId: nullable(string),
  partnerId: string,
  partnerName: nullable(string),
  constituency: string,
  from: instant,
  to: nullable(instant),
  termEndsOn: nullable(instant),
  endReason: nullable(string),
  recordedAt: instant,
  endRecordedAt: nullable(instant),
});

/** The read routes' answers, by component name. */
export const responseSchemas: Record<
  Exclude<ComponentName, 'ErrorBody' | 'CommandAccepted'>,
  SchemaObject
> = {
  GroupView: group,
  TenureView: tenure,
  Governance: object({
    asOf: instant,
    knownAt: instant,
    position: nullable(integer),
    groups: array(ref('GroupView')),
  }),
  GroupTenures: object({ groupId: string, knownAt: instant, tenures: array(ref('TenureView')) }),
  Replay: object({
    until: string,
    position: nullable(integer),
    recordedAt: nullable(instant),
    fromSnapshot: nullable(integer),
    groups: array(ref('GroupView')),
  }),
  LedgerVerification: object({
    ok: { type: 'boolean' },
    checkedEvents: integer,
    position: nullable(integer),
    digest: nullable(string),
    firstBroken: nullable(
      object({
        stream: nullable(string),
        revision: nullable(integer),
        position: integer,
        reason: string,
        detail: string,
      }),
    ),
    seal: object({
      hash: string,
      count: integer,
      sealedThrough: nullable(integer),
      unsealedEvents: integer,
    }),
    incremental: { type: 'boolean' },
    readEvents: integer,
  }),
  SignedDigest: object({
    format: { type: 'string', enum: ['ledger-head-v1'] },
    keyId: string,
    position: nullable(integer),
    count: integer,
    hash: string,
    recordedAt: nullable(instant),
    sealedAt: instant,
    signature: string,
    publicKey: string,
  }),
  SigningPublicKey: object({
    algorithm: { type: 'string', enum: ['Ed25519'] },
    keyId: string,
    publicKey: string,
  }),
  PartnerList: object({
    asOf: instant,
    knownAt: instant,
    partners: rows,
    next: { ...nullable(string), description: 'The next page’s cursor; null on the last page' },
  }),
  Partner: open({ partnerId: string }),
  PartnerTenures: object({ partnerId: string, asOf: instant, tenures: array(ref('TenureView')) }),
  PartnerHistory: object({ partnerId: string, asOf: instant, knownAt: instant, history: rows }),
  Influence: withOptional(open({ asOf: instant, knownAt: instant }), {
    // Per programme when the answer is split by programme.
    next: { ...nullable(string), description: 'The next page’s cursor; null on the last page' },
  }),
  Feedback: open({ feedbackId: string }),
  RecruitmentFunnel: object({
    asOf: instant,
    knownAt: instant,
    byCampaign: rows,
    byOrganisationKind: rows,
  }),
  Participation: open({ asOf: instant, knownAt: instant }),
  Representation: {
    type: 'object',
    description:
      'At asOf: lay seats per group and borough coverage; with from/to/interval=month: a point per month end',
    required: ['knownAt'],
    additionalProperties: true,
    properties: { knownAt: instant, from: instant, to: instant, interval: string, points: rows },
  },
  Expenses: {
    ...open({ asOf: instant, knownAt: instant }),
    properties: {
      asOf: instant,
      knownAt: instant,
      claims: { ...rows, description: 'One page of the claims, in claim order' },
      byPartnerMonth: { ...rows, description: 'Every claim, summed by partner and month' },
      totals: { type: 'object', additionalProperties: true, description: 'Every claim' },
      next: { ...nullable(string), description: 'The next page’s cursor; null on the last page' },
      programmes: rows,
    },
  },
  ResponseClockFigures: {
    ...object({
      heard: integer,
      responded: integer,
      decided: integer,
      reportedBack: integer,
      openPastTarget: integer,
      medianDays: object({
        firstResponse: nullable({ type: 'number' }),
        decision: nullable({ type: 'number' }),
        reportBack: nullable({ type: 'number' }),
      }),
      firstResponse: object({
        due: integer,
        withinTarget: integer,
        share: nullable({ type: 'number' }),
      }),
      reportBack: object({
        due: integer,
        withinTarget: integer,
        share: nullable({ type: 'number' }),
      }),
      feedbackIds: array(string),
      openPastTargetFeedbackIds: array(string),
    }),
    additionalProperties: true,
    description:
      'Medians over the items that reached each step; `due`: items with a target for the step that reached it or are past it; `share` = withinTarget / due',
  },
  ResponseClock: {
    type: 'object',
    description:
      'One programme (`programmeId` given, or the ledger runs one): `targets`, `summary`, `bySource`, `byOutcome`, `items`; several: `programmes`, one such answer each',
    required: ['asOf', 'knownAt'],
    additionalProperties: true,
    properties: {
      asOf: instant,
      knownAt: instant,
      from: nullable(instant),
      to: nullable(instant),
      targets: nullable(
        object({
          firstResponseDays: nullable(integer),
          reportBackDays: nullable(integer),
          setAt: instant,
          position: { type: 'string', pattern: POSITION_PATTERN },
        }),
      ),
      summary: ref('ResponseClockFigures'),
      bySource: array(ref('ResponseClockFigures')),
      byOutcome: array(ref('ResponseClockFigures')),
      items: rows,
      next: { ...nullable(string), description: 'The next page’s cursor; null on the last page' },
      programmes: rows,
    },
  },
  InvolvementCost: withOptional(
    open({
      asOf: instant,
      knownAt: instant,
      from: nullable(instant),
      to: nullable(instant),
      currency: string,
    }),
    {
      // One programme's answer (per programme, in each of `programmes`): a page of its
      // partners; totals, by month and role level, and withdrawals still cover every partner.
      partners: rows,
      next: {
        ...nullable(string),
        description: 'The next page of partners’ cursor; null on the last page',
      },
    },
  ),
  Gripp2Figure: {
    type: 'object',
    required: ['key', 'label', 'value', 'unit', 'query', 'evidence'],
    properties: {
      key: string,
      label: string,
      value: nullable({ type: 'number' }),
      unit: { type: 'string', enum: ['count', 'hours', 'pence', 'days', 'share', 'date'] },
      at: { ...string, description: 'The business date of a stage (item 4c)' },
      breakdown: { type: 'object', additionalProperties: { type: 'number' } },
      query: { ...string, description: 'The report route and parameters answering this figure' },
      evidence: object({
        auditQuery: {
          ...string,
          description: 'A `GET /v1/audit/events` query whose answer holds the events behind it',
        },
        positions: nullable({
          ...array(integer),
          description: 'The $all positions of exactly those events, where the report names them',
        }),
      }),
    },
  },
  Gripp2Item: object({
    id: string,
    section: string,
    topic: string,
    asks: string,
    source: { type: 'string', enum: ['ledger', 'evaluator'] },
    basis: {
      ...string,
      description:
        "How the figures were computed, or (the evaluator's items) what is left to write",
    },
    figures: array(ref('Gripp2Figure')),
  }),
  Gripp2Report: object({
    asOf: instant,
    knownAt: instant,
    readPosition: nullable({
      ...integer,
      description: 'The $all position the read models had applied when the figures were computed',
    }),
    programmeId: nullable(string),
    programmeName: nullable(string),
    from: nullable(instant),
    to: nullable(instant),
    shortForm: array(
      object({
        id: string,
        topic: string,
        asks: string,
        longForm: array(string),
        fromLedger: array(string),
        source: { type: 'string', enum: ['ledger', 'partly-ledger', 'evaluator'] },
      }),
    ),
    longForm: array(ref('Gripp2Item')),
    digest: object({
      format: { type: 'string', enum: ['ledger-head-v1'] },
      keyId: string,
      position: nullable(integer),
      count: integer,
      hash: string,
      recordedAt: nullable(instant),
      sealedAt: instant,
      signature: string,
      publicKey: string,
      verifyQuery: {
        ...string,
        description: '`GET /v1/audit/verify?digest=…` for this digest',
      },
    }),
  }),
  PopoloMemberships: open({ persons: rows, organizations: rows, memberships: rows }),
  Me: object({ role: nullable(string) }),
  Health: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded', 'error', 'shutting_down'] },
      info: { type: 'object', additionalProperties: true },
      error: { type: 'object', additionalProperties: true },
      details: { type: 'object', additionalProperties: true },
    },
  },
};
