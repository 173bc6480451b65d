import type { EventStore, NewEvent } from '@app/event-store';
import {
  EXPORT_COLUMNS,
  exportRows,
  GovernanceQueries,
  InfluenceQueries,
  ResponseClockQueries,
  PartnerQueries,
  popoloMemberships,
  ProgrammeScopes,
  ReportQueries,
  type ProgrammeScope,
  toCsv,
  toNdjson,
  type ExportName,
  type TimePoint,
} from '@app/projections';
import type Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CliError } from './ledger-files.js';

/** An export's file and what it holds: `rows` lines (CSV, NDJSON) or Popolo memberships. */
export interface LedgerExport {
  body: string;
  rows: number;
  programmeId: string | null;
}

/** The same exports as the API's, from read models replayed out of the log. */
export function exportLedger(
  db: Database.Database,
  what: string,
  format: 'csv' | 'ndjson',
  at: TimePoint,
  programmeId?: string,
): LedgerExport {
  const governance = new GovernanceQueries(db);
  const scope = programmeOf(db, programmeId);
  const programme = scope?.programmeId ?? null;
  if (what === 'memberships') {
    const popolo = popoloMemberships(governance, at.knownAt, undefined, scope);
    return {
      body: `${JSON.stringify(popolo)}\n`,
      rows: popolo.memberships.length,
      programmeId: programme,
    };
  }
  const reports = new ReportQueries(db, new PartnerQueries(db), governance);
  const rows = exportRows(
    what as ExportName,
    {
      governance,
      influence: new InfluenceQueries(db),
      reports,
      clock: new ResponseClockQueries(db),
    },
    at,
    undefined,
    scope,
  );
  return {
    body: format === 'csv' ? toCsv(EXPORT_COLUMNS[what as ExportName], rows) : toNdjson(rows),
    rows: rows.length,
    programmeId: programme,
  };
}

/** An export is one programme's, as over the API: the one named, or the ledger's only one. */
function programmeOf(
  db: Database.Database,
  programmeId: string | undefined,
): ProgrammeScope | null {
  const scopes = new ProgrammeScopes(db).scopes();
  if (programmeId !== undefined) {
    const scope = scopes.find((s) => s.programmeId === programmeId);
    if (!scope) throw new CliError(`No programme '${programmeId}'`);
    return scope;
  }
  if (scopes.length > 1) {
    const ids = scopes.map((s) => s.programmeId).join(', ');
    throw new CliError(`The ledger runs several programmes (${ids}): name one with --programme`, 2);
  }
  return scopes[0] ?? null;
}

/** A line of `export-events` (`stream`), or of an older export (`streamId`). */
interface RawLine {
  stream?: string;
  streamId?: string;
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
    const streamId = event.stream ?? event.streamId;
    if (
      typeof streamId !== 'string' ||
      !Number.isInteger(event.revision) ||
      typeof event.id !== 'string' ||
      typeof event.type !== 'string'
    ) {
      throw new CliError(
        `line ${lineNumber} is not an event {stream, revision, id, type, data, metadata}`,
      );
    }
    if (!heads.has(streamId)) {
      const [last] = await store.readStream(streamId, {
        direction: 'backwards',
        maxCount: 1,
      });
      heads.set(streamId, last?.revision ?? null);
    }
    const head = heads.get(streamId)!;
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
    await store.appendToStream(streamId, [raw], {
      expectedRevision: revision === 0n ? 'no_stream' : revision - 1n,
    });
    heads.set(streamId, revision);
    imported += 1;
  }
  return { imported, skipped };
}
