import { SqliteEventStore } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise, WARM_UP_APPENDS, type LatencySummary } from './stats.js';

export interface AppendScenarioResult extends LatencySummary {
  writers: number;
  events: number;
  errors: number;
  eventsPerSecond: number;
  commits: number;
}

/**
 * Durable single-event appends with an exact expected revision, from
 * `writers` concurrent writers spread over `streams` streams, on a fresh file.
 */
export async function appendScenario(options: {
  writers: number;
  events: number;
  streams: number;
}): Promise<AppendScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  const revisions = new Map<number, bigint>();
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  // Untimed appends first, to streams of their own (see WARM_UP_APPENDS).
  for (let i = 0; i < WARM_UP_APPENDS; i++) {
    await store.appendToStream(`warm-up-${i}`, [{ id: randomUUID(), type: 'WarmUp', data: {} }]);
  }
  const warmUpCommits = store.stats.commits;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.writers }, async (_, writer) => {
      for (;;) {
        const n = next++;
        if (n >= options.events) return;
        // Each writer owns the streams congruent to it, so its exact revisions never race.
        const stream =
          writer +
          options.writers * (n % Math.max(1, Math.floor(options.streams / options.writers)));
        const revision = revisions.get(stream);
        const t0 = performance.now();
        try {
          const result = await store.appendToStream(
            `partner-${stream}`,
            [
              {
                id: randomUUID(),
                type: 'WorkshopAttended',
                data: { partnerId: String(stream), n },
              },
            ],
            { expectedRevision: revision ?? 'no_stream' },
          );
          revisions.set(stream, result.nextExpectedRevision);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const commits = store.stats.commits - warmUpCommits;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    writers: options.writers,
    events: options.events,
    errors,
    eventsPerSecond: Math.round((options.events - errors) / seconds),
    commits,
    ...summarise(latencies),
  };
}
