import type { EventStore, NewEvent } from '@app/event-store';
import {
  GovernanceQueries,
  InfluenceQueries,
  PartnerQueries,
  ReportQueries,
  type TimePoint,
} from '@app/projections';
import type Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { toCsv, toNdjson } from '../../ledger-api/src/http/csv.js';
import { CliError } from './ledger-files.js';

const COLUMNS: Record<string, readonly string[]> = {
  tenures: [
    'groupId',
    'seatId',
    'role',
    'partnerId',
    'partnerName',
    'constituency',
    'from',
    'to',
    'endReason',
  ],
  influence: [
    'feedbackId',
    'channel',
    'kind',
    'summary',
    'groupId',
    'raisedBy',
    'heardAt',
    'status',
    'reportedBackAt',
  ],
  funnel: ['campaign', 'nominated', 'attendedWorkshop', 'expressedInterest', 'appointed', 'active'],
  participation: ['partnerId', 'partnerName', 'attended', 'apologies', 'hoursByMonth'],
};

/** The same exports as the API's, from read models replayed out of the log. */
export function exportLedger(
  db: Database.Database,
  what: string,
  format: 'csv' | 'ndjson',
  at: TimePoint,
): string {
  const governance = new GovernanceQueries(db);
  const partners = new PartnerQueries(db);
  const reports = new ReportQueries(db, partners, governance);
  if (what === 'memberships') {
    const tenures = governance.allTenures(at.knownAt);
    return `${JSON.stringify({
      persons: [
        ...new Map(tenures.map((t) => [t.partnerId, t.partnerName ?? t.partnerId])).entries(),
      ].map(([id, name]) => ({ id, name })),
      organizations: governance
        .governance({ asOf: '9999-12-31T23:59:59.999Z', knownAt: at.knownAt })
        .map((g) => ({ id: g.groupId, name: g.name, parent_id: g.parentGroupId })),
      memberships: tenures.map((t) => ({
        person_id: t.partnerId,
        organization_id: t.groupId,
        role: t.role === 'co-chair' ? 'co-chair' : 'member',
        start_date: t.from.slice(0, 10),
        ...(t.to ? { end_date: t.to.slice(0, 10) } : {}),
      })),
    })}\n`;
  }
  const rows: Array<Record<string, unknown>> =
    what === 'tenures'
      ? (governance.allTenures(at.knownAt) as unknown as Array<Record<string, unknown>>)
      : what === 'influence'
        ? (new InfluenceQueries(db).list(at).items as unknown as Array<Record<string, unknown>>)
        : what === 'funnel'
          ? reports
              .recruitmentFunnel(at)
              .map((row) => ({
                campaign: row.campaign,
                ...Object.fromEntries(row.stages.map((s) => [s.stage, s.count])),
              }))
          : (reports.participation(at).partners as unknown as Array<Record<string, unknown>>);
  return format === 'csv' ? toCsv(COLUMNS[what]!, rows) : toNdjson(rows);
}

interface RawLine {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * Appends raw events at the revisions they carry, stream by stream in file
 * order; events already present at their revision are skipped, so an
 * interrupted import can be run again. Events are appended as given (their
 * hash-chain metadata included): `verify` then proves nothing was altered.
 */
export async function importEvents(
  store: EventStore,
  file: string,
): Promise<{ imported: number; skipped: number }> {
  const heads = new Map<string, bigint | null>();
  let imported = 0;
  let skipped = 0;
  let lineNumber = 0;
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Infinity,
  })) {
    lineNumber += 1;
    if (!line.trim()) continue;
    let event: RawLine;
    try {
      event = JSON.parse(line) as RawLine;
    } catch {
      throw new CliError(`line ${lineNumber} is not JSON`);
    }
    if (
      typeof event.streamId !== 'string' ||
      !Number.isInteger(event.revision) ||
      typeof event.id !== 'string' ||
      typeof event.type !== 'string'
    ) {
      throw new CliError(
        `line ${lineNumber} is not an event {streamId, revision, id, type, data, metadata}`,
      );
    }
    if (!heads.has(event.streamId)) {
      const [last] = await store.readStream(event.streamId, {
        direction: 'backwards',
        maxCount: 1,
      });
      heads.set(event.streamId, last?.revision ?? null);
    }
    const head = heads.get(event.streamId)!;
    const revision = BigInt(event.revision);
    if (head !== null && head >= revision) {
      skipped += 1;
      continue;
    }
    const raw: NewEvent = {
      id: event.id,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
    };
    await store.appendToStream(event.streamId, [raw], {
      expectedRevision: revision === 0n ? 'no_stream' : revision - 1n,
    });
    heads.set(event.streamId, revision);
    imported += 1;
  }
  return { imported, skipped };
}
