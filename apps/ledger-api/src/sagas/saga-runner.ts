import { DomainError } from '@app/domain';
import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { CommandBus, EventBus, type IEvent } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { lastValueFrom, of, toArray } from 'rxjs';
import { READ_DB } from '../infrastructure/ledger-store.providers.js';
import { LEDGER_SAGAS, type LedgerSaga } from './saga.js';

/** A stored event on Nest's EventBus. */
export class LedgerEventPublished implements IEvent {
  constructor(readonly event: RecordedEvent) {}
}

const CHECKPOINT = 'sagas';

/**
 * Feeds sagas (and Nest's EventBus) from a catch-up subscription to `$all`
 * with its own persisted checkpoint, never from the in-process bus alone: a
 * crash between an event and its saga's command is caught up on restart.
 * The checkpoint moves only once every command the event caused has been
 * handled (and is written lazily, see persistSoon); a command a domain rule refuses is logged and not retried (the
 * world changed, e.g. the seat was already vacated); an infrastructure error
 * is retried with backoff by the subscription.
 */
@Injectable()
export class SagaRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Sagas');
  private subscription: Subscription | null = null;
  private readonly saveCheckpoint: Database.Statement<[string, number]>;
  private readonly readCheckpoint: Database.Statement<[string], { position: number | null }>;
  private current: bigint | null;
  private persisted: bigint | null = null;
  private persistScheduled = false;
  private readonly waiters: Array<{ position: bigint; resolve: () => void }> = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) db: Database.Database,
    @Inject(LEDGER_SAGAS) private readonly sagas: LedgerSaga[],
    private readonly projections: ProjectionRunner,
    private readonly commandBus: CommandBus,
    private readonly eventBus: EventBus,
  ) {
    this.saveCheckpoint = db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.readCheckpoint = db.prepare('SELECT position FROM checkpoints WHERE name = ?');
    const row = this.readCheckpoint.get(CHECKPOINT);
    this.current = row?.position == null ? null : BigInt(row.position);
  }

  get checkpoint(): bigint | null {
    return this.current;
  }

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeToAll((event) => this.handle(event), {
      after: this.current,
      onError: (error, attempt) =>
        this.logger.error(
          `saga failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
    this.persist();
  }

  /**
   * The checkpoint is written at most once per turn of the event loop, not
   * once per event (a commit each, measured on the HTTP write path). After a
   * crash the sagas may see a few events again: their commands carry ids
   * derived from the causing event, so a repeat decides nothing twice.
   */
  private persistSoon(): void {
    if (this.persistScheduled) return;
    this.persistScheduled = true;
    setImmediate(() => this.persist());
  }

  private persist(): void {
    this.persistScheduled = false;
    if (this.current === null || this.current === this.persisted) return;
    this.saveCheckpoint.run(CHECKPOINT, Number(this.current));
    this.persisted = this.current;
  }

  /** Resolves once every saga has reacted to the events up to `position`. */
  waitFor(position: bigint): Promise<void> {
    if (this.current !== null && this.current >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
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
    this.eventBus.publish(new LedgerEventPublished(event));
    this.current = event.position;
    this.persistSoon();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.position <= event.position) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
