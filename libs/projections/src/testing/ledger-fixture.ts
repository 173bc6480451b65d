import type { EventMetadata, RecordedEvent } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { ResponseClockQueries } from '../clock/response-clock.queries.js';
import { ElectionQueries } from '../elections/elections.queries.js';
import { GovernanceQueries, type TimePoint } from '../governance/governance.queries.js';
import { InfluenceQueries } from '../influence/influence.queries.js';
import { createLedgerProjections } from '../ledger-projections.js';
import { installProjections } from '../core/projection.js';
import { openReadStore } from '../core/read-store.js';
import { PartnerQueries } from '../partners/partner.queries.js';
import { ProgrammeQueries } from '../programmes/programmes.queries.js';
import { ProgrammeScopes } from '../reports/programme-scope.js';
import { ReportQueries } from '../reports/reports.queries.js';

/** A date alone means the end of that day, as the API reads it. */
export const instant = (value: string): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : new Date(value).toISOString();

/**
 * Every read model on an in-memory read store, fed with hand-written events
 * one transaction each, as the runner does. `recordedAt` defaults to the
 * event's `occurredAt` (recorded as it happened); pass a later one to model
 * a fact entered late.
 */
export function ledgerFixture() {
  const db = openReadStore(':memory:');
  const projections = createLedgerProjections();
  installProjections(db, projections, { indexes: true });
  const applyAll = db.transaction((event: RecordedEvent) => {
    for (const projection of projections) projection.apply(event);
  });
  const applied: RecordedEvent[] = [];
  let position = 0n;

  const record = (type: string, data: Record<string, unknown>, recordedAt?: string) => {
    const occurredAt = instant(String(data.occurredAt));
    position += 1n;
    const event: RecordedEvent = {
      id: randomUUID(),
      type,
      streamId: `test-${type}`,
      revision: 0n,
      position,
      data: { ...data, occurredAt },
      metadata: { actor: 'programme-office' } as unknown as EventMetadata,
      recordedAt: new Date(recordedAt ? instant(recordedAt) : occurredAt),
    };
    applyAll(event);
    applied.push(event);
    return event;
  };

  const governance = new GovernanceQueries(db);
  const partners = new PartnerQueries(db);
  return {
    db,
    record,
    /** Every event recorded so far, in log order. */
    events: applied as readonly RecordedEvent[],
    /** Applies every event recorded so far once more (a rebuild over a live store). */
    replayAll: () => applied.forEach((event) => applyAll(event)),
    governance,
    partners,
    influence: new InfluenceQueries(db),
    elections: new ElectionQueries(db),
    programmes: new ProgrammeQueries(db),
    reports: new ReportQueries(db, partners, governance),
    clock: new ResponseClockQueries(db),
    scopes: new ProgrammeScopes(db),
    /** A time point: business date, and what was known then (default: far future). */
    at: (asOf: string, knownAt = '2100-01-01'): TimePoint => ({
      asOf: instant(asOf),
      knownAt: Date.parse(instant(knownAt)),
    }),
  };
}

export type LedgerFixture = ReturnType<typeof ledgerFixture>;

/** Event data for the common facts, with overridable fields. */
export const facts = {
  programme: (occurredAt: string, boroughs: string[]) => ({
    programmeId: 'nwl',
    name: 'NWL',
    boroughs,
    occurredAt,
  }),
  group: (groupId: string, occurredAt: string, extra: Record<string, unknown> = {}) => ({
    groupId,
    name: groupId.replace(/-/g, ' '),
    kind: 'workstream',
    level: 'programme',
    parentGroupId: null,
    borough: null,
    cadence: 'monthly',
    laySeats: { min: 2, max: 4 },
    coChairConstituencies: ['lay', 'ccg'],
    occurredAt,
    ...extra,
  }),
  nominated: (partnerId: string, occurredAt: string, extra: Record<string, unknown> = {}) => ({
    partnerId,
    name: `Name of ${partnerId}`,
    email: `${partnerId}@example.org`,
    nominatedBy: { organisation: 'Healthwatch Ealing', organisationKind: 'healthwatch' },
    campaign: 'design-2013',
    occurredAt,
    ...extra,
  }),
  seat: (groupId: string, seatId: string, partnerId: string, occurredAt: string) => ({
    groupId,
    seatId,
    partnerId,
    constituency: 'lay',
    termEndsOn: null,
    occurredAt,
  }),
};
