import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/** A store that has not answered within this is reported unreachable. */
const STORE_CHECK_TIMEOUT_MS = 2_000;
/** Read answers reuse a measurement this recent; an older one is taken again. */
const MEASUREMENT_TTL_MS = 1_000;
/** How long a read answer waits for a new measurement before using the last one. */
const READ_WAIT_MS = 250;

export interface ReadLagMeasurement {
  /** When it was taken (ms since the epoch). */
  at: number;
  /** The store answered (a ping and a read of its head) within the bound. */
  reachable: boolean;
  /** Why not, when it did not. */
  error: string | null;
  /** The store's last position, when reachable. */
  head: bigint | null;
  /** The last position in the read models. */
  checkpoint: bigint | null;
  /**
   * Age of the oldest stored event the read models do not hold yet, seconds
   * (0 when they hold everything); null when the store was not reachable.
   */
  lagSeconds: number | null;
}

/**
 * How far behind the store the local read models are, for `/health/ready`
 * and for the `Ledger-Read-*` headers of read answers. Reads answer from the
 * local read models whether or not the store is reachable; the headers say
 * what the answer may be missing:
 *
 * - `Ledger-Read-Position`: the last `$all` position in the read models;
 * - `Ledger-Read-Lag`: seconds. With the store reachable (checked at most a
 *   second ago), the age of the oldest event the read models do not hold yet
 *   (0: caught up). With the store unreachable, the seconds since it last
 *   answered plus the lag measured then: the answer holds everything stored
 *   up to that many seconds ago, and may miss what came after. Absent when
 *   the store has not answered since the process started;
 * - `Ledger-Store`: `reachable` or `unreachable`.
 */
@Injectable()
export class ReadLag {
  private last: ReadLagMeasurement | null = null;
  /** The last measurement in which the store answered. */
  private lastReached: ReadLagMeasurement | null = null;
  private pending: Promise<ReadLagMeasurement> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  /** A new measurement (one at a time; concurrent callers share it). */
  measure(): Promise<ReadLagMeasurement> {
    this.pending ??= this.take().finally(() => (this.pending = null));
    return this.pending;
  }

  /** Forget the last measurement: the next read answer measures again. */
  invalidate(): void {
    this.last = null;
  }

  /**
   * A command was just answered 503 `store_unavailable`: the store is
   * unreachable as of now. Read answers say so at once, while a new
   * measurement (which waits out the adapter's retries) is taken.
   */
  markUnreachable(reason: string): void {
    this.last = {
      at: Date.now(),
      reachable: false,
      error: reason,
      head: null,
      checkpoint: this.projections.checkpoint,
      lagSeconds: null,
    };
  }

  /** The headers for a read answer: from a measurement at most a second old, else a new one if it comes quickly. */
  async headers(): Promise<Record<string, string>> {
    let measurement = this.last;
    if (!measurement || Date.now() - measurement.at > MEASUREMENT_TTL_MS) {
      const fresh = this.measure();
      measurement = (await Promise.race([fresh, delay(READ_WAIT_MS)])) ?? this.last;
    }
    const checkpoint = this.projections.checkpoint;
    const headers: Record<string, string> = {
      'ledger-read-position': checkpoint === null ? '' : String(checkpoint),
    };
    if (!measurement) return headers;
    headers['ledger-store'] = measurement.reachable ? 'reachable' : 'unreachable';
    const lag = this.lagSecondsAt(Date.now());
    if (lag !== null) headers['ledger-read-lag'] = lag.toFixed(3);
    return headers;
  }

  /** The read-lag figure of the headers at `now`, from the measurements taken so far. */
  lagSecondsAt(now: number): number | null {
    const last = this.last;
    if (last?.reachable) return last.lagSeconds;
    const reached = this.lastReached;
    if (!reached || reached.lagSeconds === null) return null;
    return Math.max(0, (now - reached.at) / 1000) + reached.lagSeconds;
  }

  private async take(): Promise<ReadLagMeasurement> {
    const at = Date.now();
    const checkpoint = this.projections.checkpoint;
    let measurement: ReadLagMeasurement;
    try {
      const { head, lagSeconds } = await withTimeout(this.lagOf(checkpoint, at));
      measurement = { at, reachable: true, error: null, head, checkpoint, lagSeconds };
      this.lastReached = measurement;
    } catch (error) {
      measurement = {
        at,
        reachable: false,
        error: error instanceof Error ? error.message : String(error),
        head: null,
        checkpoint,
        lagSeconds: null,
      };
    }
    this.last = measurement;
    return measurement;
  }

  private async lagOf(
    checkpoint: bigint | null,
    now: number,
  ): Promise<{ head: bigint | null; lagSeconds: number }> {
    await this.store.ping();
    const head = await this.store.headPosition();
    if (head === null || (checkpoint !== null && checkpoint >= head))
      return { head, lagSeconds: 0 };
    const page = await this.store.readAll({ fromPosition: checkpoint ?? 'start', maxCount: 2 });
    const oldest = page.find((event) => checkpoint === null || event.position > checkpoint);
    const lagSeconds = oldest ? Math.max(0, (now - oldest.recordedAt.getTime()) / 1000) : 0;
    return { head, lagSeconds };
  }
}

/** Stamps the `Ledger-Read-*` headers on every answer to a `GET /v1/…` read. */
export function stampReadLag(instance: FastifyInstance, readLag: ReadLag): void {
  instance.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/v1/')) return payload;
    if (reply.statusCode === 503) {
      if (typeof payload === 'string' && payload.includes('"code":"store_unavailable"')) {
        readLag.markUnreachable('store_unavailable');
      } else {
        readLag.invalidate();
      }
    }
    if (request.method !== 'GET') return payload;
    if (reply.statusCode >= 500) return payload;
    void reply.headers(await readLag.headers());
    return payload;
  });
}

function delay(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms).unref());
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the store did not answer within ${STORE_CHECK_TIMEOUT_MS} ms`)),
      STORE_CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
