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
    await this.caughtUp();
    return this.programmes.programmes().map((p) => p.programmeId);
  }

  /**
   * The read models include everything stored so far (sagas' reactions not
   * awaited): for a command handler that uses them to find which streams to
   * read, e.g. a partner's groups. 503 `projection_behind` after the timeout.
   */
  async caughtUp(): Promise<void> {
    await this.withinTimeout(this.runner.catchUp(), async () =>
      String((await this.store.headPosition()) ?? 0),
    );
  }

  /** Waits for `until`, or throws ProjectionBehindError (naming `wanted`) after the timeout. */
  private async withinTimeout(
    until: Promise<unknown>,
    wanted: () => Promise<string> | string,
  ): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), READ_YOUR_WRITES_TIMEOUT_MS);
    });
    const outcome = await Promise.race([until.then(() => 'reached' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      throw new ProjectionBehindError(await wanted(), this.runner.checkpoint);
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
    await this.withinTimeout(this.consistentWith(BigInt(minPosition)), () => minPosition);
  }
}
