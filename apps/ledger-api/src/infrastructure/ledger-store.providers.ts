import { EVENT_STORE, SqliteEventStore, type EventStore } from '@app/event-store';
import {
  GovernanceProjection,
  GovernanceQueries,
  openReadStore,
  ProjectionRunner,
} from '@app/projections';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { IdempotencyStore } from './idempotency.store.js';

export const READ_DB = Symbol('READ_DB');

export function createConfiguredEventStore(config: LedgerConfig): EventStore {
  if (config.store === 'sqlite') {
    return new SqliteEventStore({ path: join(config.dataDir, 'events.sqlite') });
  }
  throw new Error('LEDGER_STORE=eventstoredb is not available in this build');
}

export const ledgerStoreProviders: Provider[] = [
  {
    provide: EVENT_STORE,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) => createConfiguredEventStore(config),
  },
  {
    provide: READ_DB,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) => openReadStore(join(config.dataDir, 'readmodels.sqlite')),
  },
  {
    provide: ProjectionRunner,
    inject: [EVENT_STORE, READ_DB],
    useFactory: (store: EventStore, db: Database.Database) => {
      const logger = new Logger('Projections');
      return new ProjectionRunner(store, db, [new GovernanceProjection()], {
        onError: (error, attempt) =>
          logger.error(
            `projection failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`,
          ),
      });
    },
  },
  {
    provide: IdempotencyStore,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) =>
      new IdempotencyStore(join(config.dataDir, 'idempotency.sqlite')),
  },
  {
    provide: GovernanceQueries,
    // The runner creates the schema, so queries are prepared after it.
    inject: [READ_DB, ProjectionRunner],
    useFactory: (db: Database.Database) => new GovernanceQueries(db),
  },
];

/** Starts the projections once the app is up; closes stores last on shutdown. */
@Injectable()
export class LedgerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly readDb: Database.Database,
    private readonly runner: ProjectionRunner,
    private readonly idempotency: IdempotencyStore,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    this.readDb.close();
    this.idempotency.close();
  }
}
