import { DomainError } from '@app/domain';
import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@app/event-store';
import { ProjectionRunner, SubscriberCheckpoint } from '@app/projections';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { lastValueFrom, of, toArray } from 'rxjs';
import { LEDGER_SAGAS, type LedgerSaga } from './saga.js';

/**
 * Feeds sagas from a catch-up subscription to `$all` with its own persisted
 * checkpoint, never from the in-process bus alone: a crash between an event
 * and its saga's command is caught up on restart. The checkpoint moves only
 * once every command the event caused has been handled (and is written
 * lazily, see SubscriberCheckpoint); a command a domain rule refuses is
 * logged and not retried (the world changed, e.g. the seat was already
 * vacated); an infrastructure error is retried with backoff by the
 * subscription.
 */
@Injectable()
export class SagaRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Sagas');
  private subscription: Subscription | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly handled: SubscriberCheckpoint,
    @Inject(LEDGER_SAGAS) private readonly sagas: LedgerSaga[],
    private readonly projections: ProjectionRunner,
    private readonly commandBus: CommandBus,
  ) {}

  get checkpoint(): bigint | null {
    return this.handled.position;
  }

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeToAll((event) => this.handle(event), {
      after: this.handled.position,
      onError: (error, attempt) =>
        this.logger.error(
          `saga failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
    this.handled.flush();
  }

  /** Resolves once every saga has reacted to the events up to `position`. */
  waitFor(position: bigint): Promise<void> {
    return this.handled.waitFor(position);
  }

  private async handle(event: RecordedEvent): Promise<void> {
    // Sagas read the read models: let them include this event first.
    await this.projections.waitFor(event.position);
    for (const saga of this.sagas) {
      if (!saga.reactsTo.has(event.type)) continue;
      const commands = await lastValueFrom(saga.react(of(event)).pipe(toArray()));
      for (const command of commands) {
        try {
          await this.commandBus.execute(command);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          this.logger.warn(
            `${saga.name}: ${event.type} at ${event.position} → refused: ${error.code} (${error.message})`,
          );
        }
      }
    }
    this.handled.advance(event.position);
  }
}
