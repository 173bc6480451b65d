import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  GovernanceQueries,
  InvalidReadError,
  isPosition,
  ProjectionBehindError,
  ProjectionRunner,
  ProgrammeScopes,
  SubscriberCheckpoint,
  timePoint,
  type TimePoint,
} from '@app/projections';
import { Inject, Injectable } from '@nestjs/common';

const READ_YOUR_WRITES_TIMEOUT_MS = 10_000;

/**
 * Read models and the runner that feeds them. A client that has just
 * written passes the returned position as `minPosition`; the query waits
 * until the read models include it, so reads never need a sleep.
 */
@Injectable()
export class ReadModels {
  constructor(
    readonly runner: ProjectionRunner,
    readonly governance: GovernanceQueries,
    /** How far the sagas have reacted to the log. */
    private readonly sagas: SubscriberCheckpoint,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    readonly programmes: ProgrammeScopes,
  ) {}

  /**
   * Every programme of the ledger, once the read models include everything
   * stored: a command that joins "the only programme" decides on all of them.
   */
  async programmeIds(): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), READ_YOUR_WRITES_TIMEOUT_MS);
    });
    const outcome = await Promise.race([this.runner.catchUp().then(() => 'reached'), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      const head = await this.store.headPosition();
      throw new ProjectionBehindError(String(head ?? 0), this.runner.checkpoint);
    }
    return this.programmes.programmes().map((p) => p.programmeId);
  }

  /**
   * Everything `position` caused is in the read models: the event itself,
   * and the commands sagas issued in reaction to it (e.g. the seats a
   * withdrawal vacated).
   */
  private async consistentWith(position: bigint): Promise<void> {
    await this.sagas.waitFor(position);
    const head = await this.store.headPosition();
    await this.runner.waitFor(head !== null && head > position ? head : position);
  }

  /**
   * The time point a read asks for, once the read models include
   * `minPosition`: "now" (the default `knownAt`) is taken after the wait, so
   * what a client just caused — sagas' reactions included — is known by then.
   * The query is validated first, so a bad date never waits.
   */
  async timePointAfter(
    query: { asOf?: string; knownAt?: string },
    minPosition: string | undefined,
  ): Promise<TimePoint> {
    timePoint(query);
    await this.atLeast(minPosition);
    return timePoint(query);
  }

  async atLeast(minPosition: string | undefined): Promise<void> {
    if (minPosition === undefined || minPosition === '') return;
    if (!isPosition(minPosition)) {
      throw new InvalidReadError(
        'invalid_min_position',
        'minPosition must be a non-negative integer',
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), READ_YOUR_WRITES_TIMEOUT_MS);
    });
    const outcome = await Promise.race([
      this.consistentWith(BigInt(minPosition)).then(() => 'reached' as const),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') throw new ProjectionBehindError(minPosition, this.runner.checkpoint);
  }
}
