import { SqliteEventStore } from '@app/event-store';
import {
  createLedgerProjections,
  GovernanceQueries,
  openReadStore,
  ProjectionRunner,
} from '@app/projections';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise } from './stats.js';

/**
 * An NWL-shaped ledger written straight into the event store's schema in
 * large transactions: groups with seats that come and go, meetings with
 * attendance, feedback with responses and decisions.
 */
function generateLedger(path: string, target: number): number {
  new SqliteEventStore({ path }).close().catch(() => undefined);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // generation only; the bench measures reading
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const revisions = new Map<string, number>();
  let count = 0;
  let clock = Date.UTC(2014, 0, 1);
  const put = (stream: string, type: string, data: Record<string, unknown>) => {
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    clock += 1_000;
    insert.run(
      randomUUID(),
      stream,
      revision,
      type,
      JSON.stringify(data),
      JSON.stringify({ actor: 'bench', schemaVersion: 1 }),
      clock,
    );
    count += 1;
  };
  const day = (n: number) => new Date(Date.UTC(2013, 9, 1) + (n % 900) * 86_400_000).toISOString();
  const groups = 200;
  const partners = 2_000;
  db.transaction(() => {
    for (let g = 0; g < groups; g++) {
      put(`group-g${g}`, 'GroupEstablished', {
        groupId: `g${g}`,
        name: `Group ${g}`,
        kind: 'workstream',
        level: 'borough',
        parentGroupId: null,
        borough: `Borough ${g % 8}`,
        cadence: 'monthly',
        laySeats: { min: 2, max: 6 },
        coChairConstituencies: ['lay', 'ccg'],
        occurredAt: day(0),
      });
    }
    for (let p = 0; p < partners; p++) {
      put(`partner-p${p}`, 'PartnerNominated', {
        partnerId: `p${p}`,
        name: `Partner ${p}`,
        nominatedBy: { organisation: 'Healthwatch', organisationKind: 'healthwatch' },
        campaign: 'bench',
        occurredAt: day(1),
      });
      put(`partner-p${p}`, 'PartnerAppointed', {
        partnerId: `p${p}`,
        body: 'forum',
        occurredAt: day(2),
      });
    }
  })();
  let round = 0;
  while (count < target) {
    db.transaction(() => {
      for (let i = 0; i < 5_000 && count < target; i++, round++) {
        const g = round % groups;
        const p = (round * 7) % partners;
        switch (round % 5) {
          case 0:
            put(`group-g${g}`, 'SeatAllocated', {
              groupId: `g${g}`,
              seatId: `s${round}`,
              partnerId: `p${p}`,
              constituency: 'lay',
              termEndsOn: null,
              occurredAt: day(round),
            });
            break;
          case 1:
            put(`group-g${g}`, 'SeatVacated', {
              groupId: `g${g}`,
              seatId: `s${round - 1}`,
              partnerId: `p${((round - 1) * 7) % partners}`,
              reason: 'term ended',
              occurredAt: day(round + 30),
            });
            break;
          case 2:
            put(`group-g${g}`, 'MeetingHeld', {
              groupId: `g${g}`,
              meetingId: `m${round}`,
              attendees: [`p${p}`, `p${(p + 1) % partners}`],
              apologies: [],
              durationMinutes: 120,
              occurredAt: day(round),
            });
            break;
          case 3:
            put(`feedback-f${round}`, 'FeedbackHeard', {
              feedbackId: `f${round}`,
              channel: 'forum',
              kind: 'idea',
              summary: 'An idea',
              groupId: `g${g}`,
              raisedBy: `p${p}`,
              occurredAt: day(round),
            });
            break;
          default:
            put(`feedback-f${round - 1}`, 'FeedbackResponded', {
              feedbackId: `f${round - 1}`,
              responseId: `r${round}`,
              outcome: 'adopted',
              rationale: null,
              decisionId: null,
              respondedBy: `p${p}`,
              occurredAt: day(round + 10),
            });
        }
      }
    })();
  }
  db.close();
  return count;
}

export interface RebuildResult {
  events: number;
  eventsPerSecond: number;
  asOfP50Ms: number;
  asOfP99Ms: number;
  peakRssMb: number;
}

export async function rebuildScenario(events: number): Promise<RebuildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
  try {
    const path = join(dir, 'events.sqlite');
    const written = generateLedger(path, events);
    const store = new SqliteEventStore({ path });
    const db = openReadStore(join(dir, 'readmodels.sqlite'));
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const started = performance.now();
    await new ProjectionRunner(store, db, createLedgerProjections()).rebuild();
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const queries = new GovernanceQueries(db);
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const asOf = new Date(Date.UTC(2013, 9, 1) + ((i * 4) % 900) * 86_400_000).toISOString();
      const t = performance.now();
      queries.governance({ asOf, knownAt: Number.MAX_SAFE_INTEGER });
      latencies.push(performance.now() - t);
    }
    const { p50Ms, p99Ms } = summarise(latencies);
    db.close();
    await store.close();
    return {
      events: written,
      eventsPerSecond: Math.round(written / seconds),
      asOfP50Ms: p50Ms,
      asOfP99Ms: p99Ms,
      peakRssMb: Math.round(peakRss / 2 ** 20),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
