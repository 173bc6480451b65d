import { ledgerUpcasters, type UpcasterRegistry } from '@app/domain';
import {
  createEventStore,
  EncryptingEventStore,
  EVENT_STORE,
  PersonalDataCipher,
  PersonKeyStore,
  UpcastingEventStore,
  withHashChain,
  type EventStore,
} from '@app/event-store';
import {
  createLedgerProjections,
  ReplayService,
  GovernanceQueries,
  InfluenceQueries,
  PartnerQueries,
  ReportQueries,
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
import { InstrumentedEventStore } from '../operations/instrumented-event-store.js';
import { MetricsService } from '../operations/metrics.service.js';
import { IdempotencyStore } from './idempotency.store.js';

export const READ_DB = Symbol('READ_DB');

export const UPCASTERS = Symbol('UPCASTERS');

/** The configured adapter, handing out every event in its current schema. */
/** The adapter itself, as stored: ciphertext and all. For integrity checks and migration. */
export const RAW_EVENT_STORE = Symbol('RAW_EVENT_STORE');

export function createRawEventStore(config: LedgerConfig, metrics?: MetricsService): EventStore {
  const raw = createEventStore({
    store: config.store,
    dataDir: config.dataDir,
    ...(config.eventStoreConnectionString
      ? { connectionString: config.eventStoreConnectionString }
      : {}),
  });
  // Every append is hash-chained here, on the bytes as stored (ADR 0004).
  return withHashChain(metrics ? new InstrumentedEventStore(raw, metrics) : raw);
}

/**
 * The store the application uses: personal fields encrypted with each
 * person's key on the way in and decrypted on the way out, and every event
 * handed out in its current schema.
 */
export function createApplicationEventStore(
  raw: EventStore,
  keys: PersonKeyStore,
  upcasters: UpcasterRegistry,
): EventStore {
  return new UpcastingEventStore(
    new EncryptingEventStore(withHashChain(raw), new PersonalDataCipher(keys)),
    (event) => {
      const stored =
        typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : undefined;
      const { data, version } = upcasters.upcast(event.type, stored, event.data);
      return version === (stored ?? 1)
        ? event
        : { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
    },
  );
}

export const ledgerStoreProviders: Provider[] = [
  {
    provide: UPCASTERS,
    useFactory: () => ledgerUpcasters(),
  },
  {
    provide: RAW_EVENT_STORE,
    inject: [LEDGER_CONFIG, MetricsService],
    useFactory: (config: LedgerConfig, metrics: MetricsService) =>
      createRawEventStore(config, metrics),
  },
  {
    provide: PersonKeyStore,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) => new PersonKeyStore(join(config.dataDir, 'keys.sqlite')),
  },
  {
    provide: EVENT_STORE,
    inject: [RAW_EVENT_STORE, PersonKeyStore, UPCASTERS],
    useFactory: (raw: EventStore, keys: PersonKeyStore, upcasters: UpcasterRegistry) =>
      createApplicationEventStore(raw, keys, upcasters),
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
      return new ProjectionRunner(store, db, createLedgerProjections(), {
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
    provide: ReplayService,
    inject: [EVENT_STORE, LEDGER_CONFIG],
    useFactory: (store: EventStore, config: LedgerConfig) =>
      new ReplayService(store, createLedgerProjections, join(config.dataDir, 'snapshots')),
  },
  {
    provide: InfluenceQueries,
    inject: [READ_DB, ProjectionRunner],
    useFactory: (db: Database.Database) => new InfluenceQueries(db),
  },
  {
    provide: PartnerQueries,
    inject: [READ_DB, ProjectionRunner],
    useFactory: (db: Database.Database) => new PartnerQueries(db),
  },
  {
    provide: ReportQueries,
    inject: [READ_DB, PartnerQueries, GovernanceQueries],
    useFactory: (db: Database.Database, partners: PartnerQueries, governance: GovernanceQueries) =>
      new ReportQueries(db, partners, governance),
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
    private readonly keys: PersonKeyStore,
  ) {}

  /**
   * Read models with no checkpoint (a new read store, or one whose schema
   * changed) are filled page by page before the app serves; then the live
   * subscription takes over from the checkpoint.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.runner.checkpoint === null) await this.runner.rebuild();
    this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    this.readDb.close();
    this.idempotency.close();
    this.keys.close();
  }
}
