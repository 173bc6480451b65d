import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { DeciderRunner } from '../commands/decider-runner.js';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor.js';
import { MetricsService } from '../operations/metrics.service.js';
import { READINESS_CHECKS, type ReadinessCheck } from '../operations/readiness.js';
import { ElectionResultSaga } from '../sagas/election-result.saga.js';
import { ErasureSaga } from '../sagas/erasure.saga.js';
import { LEDGER_SAGAS, type LedgerSaga } from '../sagas/saga.js';
import { SagaRunner } from '../sagas/saga-runner.js';
import { WithdrawalSaga } from '../sagas/withdrawal.saga.js';
import { AuthGuard } from '../security/auth.guard.js';
import { PseudonymisingInterceptor } from '../security/pseudonymising.interceptor.js';
import { securityProviders } from '../security/security.providers.js';
import { IdempotencyPruner } from './idempotency-pruner.js';
import { LedgerLifecycle, ledgerStoreProviders } from './ledger-store.providers.js';
import { ReadModels } from './read-models.service.js';
import { SHARED_POSTGRES } from './tokens.js';
import type { LedgerPostgres } from '@app/event-store';
import { sealProviders } from './seal.providers.js';
import { KnownQueryParametersInterceptor } from '../http/query-parameters.js';

/**
 * What every feature module shares: configuration, the event store stack, the
 * read models, the command runner, security and the sagas. Feature modules
 * declare only their controllers and command handlers.
 */
@Global()
@Module({})
export class LedgerCoreModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    const shared: Provider[] = [
      { provide: LEDGER_CONFIG, useValue: config },
      ...ledgerStoreProviders,
      ...sealProviders,
      MetricsService,
      ...securityProviders,
      ReadModels,
      DeciderRunner,
      SagaRunner,
      {
        // A cluster replica is ready only while its shared PostgreSQL answers.
        provide: READINESS_CHECKS,
        inject: [SHARED_POSTGRES],
        useFactory: (postgres: LedgerPostgres | null): ReadinessCheck[] =>
          postgres ? [{ name: 'postgres', check: () => postgres.ping() }] : [],
      },
    ];
    return {
      module: LedgerCoreModule,
      providers: [
        ...shared,
        LedgerLifecycle,
        IdempotencyPruner,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: KnownQueryParametersInterceptor },
        { provide: APP_INTERCEPTOR, useClass: PseudonymisingInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        WithdrawalSaga,
        ElectionResultSaga,
        ErasureSaga,
        {
          provide: LEDGER_SAGAS,
          inject: [WithdrawalSaga, ElectionResultSaga, ErasureSaga],
          useFactory: (...sagas: LedgerSaga[]) => sagas,
        },
      ],
      exports: shared.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}
