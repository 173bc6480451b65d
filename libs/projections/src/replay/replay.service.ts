import { readAllEvents, readAllPages, type EventStore, type RecordedEvent } from '@app/event-store';
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openReadStore } from '../core/read-store.js';
import { installIndexes, installProjections, type Projection } from '../core/projection.js';
import { GovernanceQueries, type GroupView } from '../governance/governance.queries.js';

export interface ReplayedState {
  /** The read models as they stood at `position`, in a private in-memory database. */
  db: Database.Database;
  position: bigint | null;
  /** The last event replayed, if any. */
  last: RecordedEvent | null;
  events: number;
  fromSnapshot: bigint | null;
}

const PAGE = 2_000;

/** The governance structure as replayed from the log (see `ReplayService.governanceAt`). */
export interface ReplayedGovernance {
  /** The last position replayed (null: nothing to replay). */
  position: bigint | null;
  /** When the ledger recorded that last event. */
  recordedAt: Date | null;
  /** The snapshot the replay started from, if any. */
  fromSnapshot: bigint | null;
  groups: GroupView[];
}

/**
 * Replays the log into fresh read models up to a position. Snapshots of the
 * read models (a serialised SQLite database) are written every
 * `snapshotEvery` events along the way, so a later replay starts from the
 * nearest snapshot at or before its target and applies only the rest.
 */
export class ReplayService {
  constructor(
    private readonly store: EventStore,
    private readonly projections: () => Projection[],
    private readonly snapshotDir: string | null,
    private readonly snapshotEvery = 50_000,
  ) {
    if (snapshotDir) mkdirSync(snapshotDir, { recursive: true });
  }

  /** Resolves a time to the last position recorded at or before it. */
  async positionKnownAt(time: Date): Promise<bigint | null> {
    let found: bigint | null = null;
    for await (const event of readAllEvents(this.store, PAGE)) {
      if (event.recordedAt.getTime() > time.getTime()) return found;
      found = event.position;
    }
    return found;
  }

  /**
   * The governance structure as the log stood at a position, or at a time
   * (what the ledger had recorded by then). Groups are shown as of that
   * time in business time too (as of now for a position), and with all
   * that the replayed log knows.
   */
  async governanceAt(until: bigint | Date): Promise<ReplayedGovernance> {
    const target = typeof until === 'bigint' ? until : await this.positionKnownAt(until);
    if (target === null)
      return { position: null, recordedAt: null, fromSnapshot: null, groups: [] };
    const asOf = (typeof until === 'bigint' ? new Date() : until).toISOString();
    const replayed = await this.replay(target);
    try {
      return {
        position: replayed.position,
        recordedAt: replayed.last?.recordedAt ?? null,
        fromSnapshot: replayed.fromSnapshot,
        groups: new GovernanceQueries(replayed.db).governance({
          asOf,
          knownAt: Number.MAX_SAFE_INTEGER,
        }),
      };
    } finally {
      replayed.db.close();
    }
  }

  async replay(until: bigint): Promise<ReplayedState> {
    // Again, if an erasure deleted it (with every snapshot taken before).
    if (this.snapshotDir) mkdirSync(this.snapshotDir, { recursive: true });
    const found = this.nearestSnapshot(until);
    const image = found && readIfPresent(found.file);
    const snapshot = image ? found : null;
    const db = image ? new Database(image) : openReadStore(':memory:');
    const projections = this.projections();
    // Query indexes after the last event (snapshots are kept without them).
    installProjections(db, projections, { indexes: false });
    const apply = db.transaction((page: RecordedEvent[]) => {
      for (const event of page) for (const projection of projections) projection.apply(event);
    });

    let position: bigint | null = snapshot?.position ?? null;
    let last: RecordedEvent | null = null;
    let events = 0;
    let sinceSnapshot = 0;
    for await (const read of readAllPages(this.store, { pageSize: PAGE, after: position })) {
      const page = read.filter((event) => event.position <= until);
      if (page.length > 0) {
        apply(page);
        last = page[page.length - 1]!;
        position = last.position;
        events += page.length;
        sinceSnapshot += page.length;
        if (sinceSnapshot >= this.snapshotEvery) {
          this.saveSnapshot(db, position);
          sinceSnapshot = 0;
        }
      }
      if (page.length < read.length) break; // past `until`
    }
    installIndexes(db, projections);
    return { db, position, last, events, fromSnapshot: snapshot?.position ?? null };
  }

  /**
   * The latest snapshot at or before `until`. A missing directory means no
   * snapshot: an erasure deletes it with every snapshot taken before.
   */
  private nearestSnapshot(until: bigint): { position: bigint; file: string } | null {
    if (!this.snapshotDir) return null;
    let best: { position: bigint; file: string } | null = null;
    for (const name of listIfPresent(this.snapshotDir)) {
      const match = /^readmodels-(\d+)\.sqlite$/.exec(name);
      if (!match) continue;
      const position = BigInt(match[1]!);
      if (position <= until && (!best || position > best.position)) {
        best = { position, file: join(this.snapshotDir, name) };
      }
    }
    return best;
  }

  private saveSnapshot(db: Database.Database, position: bigint): void {
    if (!this.snapshotDir) return;
    const file = join(this.snapshotDir, `readmodels-${position}.sqlite`);
    const partial = `${file}.partial`;
    try {
      writeFileSync(partial, db.serialize());
      renameSync(partial, file); // never a half-written snapshot
    } catch (error) {
      // Deleted by an erasure while this replay ran: what it read before may
      // hold the erased data, so it is not kept. The replay goes on without.
      if (!missing(error)) throw error;
      rmSync(partial, { force: true });
    }
  }
}

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

function listIfPresent(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if (missing(error)) return [];
    throw error;
  }
}

/** A snapshot's bytes, or null if it was deleted since it was listed. */
function readIfPresent(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    if (missing(error)) return null;
    throw error;
  }
}
