import { SqliteEventStore } from '@app/event-store';
import {
  createLedgerProjections,
  GovernanceQueries,
  openReadStore,
  ProjectionRunner,
} from '@app/projections';
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJsonLine, runChild } from './child.js';
import { summarise } from './stats.js';

/** Where generated ledgers are kept between bench runs (`LEDGER_BENCH_CACHE`, else the temp dir). */
export const LEDGER_CACHE_DIR =
  process.env.LEDGER_BENCH_CACHE ?? join(tmpdir(), 'engagement-ledger-bench-cache');

/**
 * A generated ledger of `target` events copied to `path`: from the cache when
 * this generator made one of that size before (the key hashes the generator's
 * own code, so a changed generator makes a new one), else generated into the
 * cache first. `fresh` generates anew. Generation is not what the bench
 * measures, and 10M events take 10–17 min to write here; a copy takes seconds.
 * `generatedSeconds` is null when the ledger came from the cache.
 */
export function cachedLedger(
  path: string,
  target: number,
  fresh = false,
): { events: number; generatedSeconds: number | null } {
  const key = createHash('sha256').update(generateLedger.toString()).digest('hex').slice(0, 12);
  const cached = join(LEDGER_CACHE_DIR, `ledger-${target}-${key}.sqlite`);
  const countFile = `${cached}.events`;
  let generatedSeconds: number | null = null;
  if (fresh || !existsSync(cached) || !existsSync(countFile)) {
    mkdirSync(LEDGER_CACHE_DIR, { recursive: true });
    const partial = `${cached}.partial-${process.pid}`;
    const t = performance.now();
    const events = generateLedger(partial, target);
    generatedSeconds = Math.round((performance.now() - t) / 100) / 10;
    // The WAL was checkpointed on close: the one file is the whole ledger.
    for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
    renameSync(partial, cached);
    writeFileSync(countFile, String(events));
  }
  copyFileSync(cached, path);
  return { events: Number(readFileSync(countFile, 'utf8')), generatedSeconds };
}

/**
 * An NWL-shaped ledger written straight into the event store's schema in
 * large transactions, keeping the domain's rules: 200 groups whose lay seats
 * stay within 2–6 as partners come and go, meetings attended by whoever
 * holds a seat, feedback heard and answered, decisions citing it, expenses
 * claimed and reimbursed. Business time runs forwards over ten years from
 * October 2013; each event is recorded a little after it happened.
 */
export function generateLedger(path: string, target: number): number {
  new SqliteEventStore({ path }).close().catch(() => undefined);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // generation only; the bench measures reading
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const revisions = new Map<string, number>();
  const metadata = JSON.stringify({ actor: 'bench', schemaVersion: 1 });
  const begin = Date.UTC(2013, 9, 1);
  const step = (10 * 365 * 86_400_000) / target;
  let count = 0;
  const now = () => new Date(begin + count * step).toISOString();
  const put = (stream: string, type: string, data: Record<string, unknown>) => {
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    insert.run(
      randomUUID(),
      stream,
      revision,
      type,
      JSON.stringify(data),
      metadata,
      Math.round(begin + count * step) + 3_600_000,
    );
    count += 1;
  };
  const groups = 200;
  const partners = 2_000;
  const seated: Array<Array<{ seatId: string; partnerId: string }>> = [];
  db.transaction(() => {
    for (let g = 0; g < groups; g++) {
      seated.push([]);
      put(`group-g${g}`, 'GroupEstablished', {
        groupId: `g${g}`,
        name: `Group ${g}`,
        kind: g === 0 ? 'programme-board' : 'workstream',
        level: g < 8 ? 'programme' : 'borough',
        parentGroupId: g === 0 ? null : 'g0',
        borough: g < 8 ? null : `Borough ${g % 8}`,
        cadence: 'monthly',
        laySeats: { min: 2, max: 6 },
        coChairConstituencies: ['lay', 'ccg'],
        occurredAt: now(),
      });
    }
    for (let p = 0; p < partners; p++) {
      put(`partner-p${p}`, 'PartnerNominated', {
        partnerId: `p${p}`,
        name: `Partner ${p}`,
        nominatedBy: { organisation: 'Healthwatch', organisationKind: 'healthwatch' },
        campaign: 'bench',
        occurredAt: now(),
      });
      put(`partner-p${p}`, 'PartnerAppointed', {
        partnerId: `p${p}`,
        body: 'forum',
        occurredAt: now(),
      });
    }
  })();
  let round = 0;
  let seats = 0;
  let lastFeedback: string | null = null;
  let lastClaim: { partnerId: string; claimId: string } | null = null;
  while (count < target) {
    db.transaction(() => {
      for (let i = 0; i < 5_000 && count < target; i++, round++) {
        const g = Math.floor(round / 10) % groups; // each group sees the whole cycle
        const holders = seated[g]!;
        const someone = holders[round % Math.max(1, holders.length)]?.partnerId ?? null;
        switch (round % 10) {
          case 0:
          case 1: {
            // Seats turn over: fill while below the maximum, else the longest-serving leaves.
            const fill = holders.length < (round % 10 === 0 ? 6 : 3);
            if (fill) {
              const seatId = `s${seats++}`;
              const partnerId = `p${(g * 37 + seats) % partners}`;
              holders.push({ seatId, partnerId });
              put(`group-g${g}`, 'SeatAllocated', {
                groupId: `g${g}`,
                seatId,
                partnerId,
                constituency: 'lay',
                termEndsOn: null,
                occurredAt: now(),
              });
            } else {
              const leaving = holders.shift()!;
              put(`group-g${g}`, 'SeatVacated', {
                groupId: `g${g}`,
                seatId: leaving.seatId,
                partnerId: leaving.partnerId,
                reason: 'term ended',
                occurredAt: now(),
              });
            }
            break;
          }
          case 2:
          case 3:
            put(`group-g${g}`, 'MeetingHeld', {
              groupId: `g${g}`,
              meetingId: `m${round}`,
              attendees: holders.slice(1).map((h) => h.partnerId),
              apologies: holders.slice(0, 1).map((h) => h.partnerId),
              durationMinutes: 120,
              occurredAt: now(),
            });
            break;
          case 4:
          case 5:
            lastFeedback = `f${round}`;
            put(`feedback-${lastFeedback}`, 'FeedbackHeard', {
              feedbackId: lastFeedback,
              channel: 'forum',
              kind: 'idea',
              summary: 'An idea',
              groupId: `g${g}`,
              raisedBy: someone,
              occurredAt: now(),
            });
            break;
          case 6:
            put(`group-g${g}`, 'DecisionRecorded', {
              groupId: `g${g}`,
              decisionId: `d${round}`,
              summary: 'A decision',
              influencedBy: lastFeedback ? [lastFeedback] : [],
              layMembersPresent: holders.map((h) => h.partnerId),
              touchstoneVersion: null,
              meetingId: null,
              occurredAt: now(),
            });
            break;
          case 7:
            put(`feedback-${lastFeedback}`, 'FeedbackResponded', {
              feedbackId: lastFeedback,
              responseId: `r${round}`,
              outcome: 'adopted',
              rationale: null,
              decisionId: `d${round - 1}`,
              respondedBy: someone,
              occurredAt: now(),
            });
            break;
          case 8: {
            const partnerId = someone ?? 'p0';
            lastClaim = { partnerId, claimId: `c${round}` };
            put(`partner-${partnerId}`, 'ExpenseClaimed', {
              ...lastClaim,
              amountPence: 1_250 + (round % 700),
              category: 'travel',
              incurredOn: now().slice(0, 10),
              occurredAt: now(),
            });
            break;
          }
          default:
            put(`partner-${lastClaim!.partnerId}`, 'ExpenseReimbursed', {
              ...lastClaim!,
              amountPence: 1_250 + ((round - 1) % 700),
              occurredAt: now(),
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
  /** Reading every row of this ledger (all columns) and parsing data and metadata: its own ceiling. */
  ledgerParseCeiling: number;
  asOfP50Ms: number;
  asOfP99Ms: number;
  /** Peak RSS of the rebuild's own process. */
  peakRssMb: number;
}

/**
 * The most a rebuild of this very ledger could do: every row read (as arrays,
 * all the columns an event has) and its data and metadata parsed, nothing
 * applied. The limits bench's ceiling reads one small column of a synthetic
 * table; this one has the ledger's real payloads.
 */
function parseCeiling(path: string): { events: number; perSecond: number } {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare<[], [number, string, string, number, string, string, string, number]>(
        'SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM events ORDER BY position',
      )
      .raw();
    const started = performance.now();
    let parsed = 0;
    for (const row of rows.iterate()) {
      JSON.parse(row[5]);
      JSON.parse(row[6]);
      parsed += 1;
    }
    return {
      events: parsed,
      perSecond: Math.round(parsed / ((performance.now() - started) / 1000)),
    };
  } finally {
    db.close();
  }
}

/** Rebuilds every read model from the ledger at `eventsPath` (left as it was). */
export async function rebuildScenario(eventsPath: string): Promise<RebuildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
  try {
    const { events, perSecond: ledgerParseCeiling } = parseCeiling(eventsPath);
    const store = new SqliteEventStore({ path: eventsPath });
    const db = openReadStore(join(dir, 'readmodels.sqlite'));
    const started = performance.now();
    await new ProjectionRunner(store, db, createLedgerProjections()).rebuild();
    const seconds = (performance.now() - started) / 1000;
    // The process's own high-water mark (getrusage): a timer cannot sample a
    // rebuild, which never yields to the event loop's timers phase.
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const queries = new GovernanceQueries(db);
    // 50 untimed queries first (the rebuild's garbage is collected meanwhile), then 1,000.
    const latencies: number[] = [];
    for (let i = 0; i < 1_050; i++) {
      const asOf = new Date(Date.UTC(2013, 9, 1) + ((i * 37) % 3_650) * 86_400_000).toISOString();
      const t = performance.now();
      queries.governance({ asOf, knownAt: Number.MAX_SAFE_INTEGER });
      if (i >= 50) latencies.push(performance.now() - t);
    }
    const { p50Ms, p99Ms } = summarise(latencies);
    db.close();
    await store.close();
    return {
      events,
      eventsPerSecond: Math.round(events / seconds),
      ledgerParseCeiling,
      asOfP50Ms: p50Ms,
      asOfP99Ms: p99Ms,
      peakRssMb,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The rebuild in a process of its own, so its peak RSS is the rebuild's,
 * not what earlier scenarios (or generating the ledger) left on this heap.
 */
export async function rebuildInChild(eventsPath: string): Promise<RebuildResult> {
  const run = await runChild(fileURLToPath(import.meta.url), [eventsPath], 30 * 60_000);
  const result = lastJsonLine<RebuildResult>(run.stdout);
  if (!run.ok || !result) throw new Error(`rebuild child: ${run.exit}\n${run.stderr}`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await rebuildScenario(process.argv[2]!))}\n`);
}
