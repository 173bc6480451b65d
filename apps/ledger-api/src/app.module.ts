import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthGuard } from './security/auth.guard.js';
import { CqrsModule } from '@nestjs/cqrs';
import { IdempotencyInterceptor } from './http/idempotency.interceptor.js';
import { PseudonymisingInterceptor } from './security/pseudonymising.interceptor.js';
import { securityProviders } from './security/security.providers.js';
import { DeciderRunner } from './commands/decider-runner.js';
import { GroupCommandHandler } from './groups/group-command.handler.js';
import { ElectionCommandHandler } from './elections/election-command.handler.js';
import { FeedbackCommandHandler } from './feedback/feedback-command.handler.js';
import { PartnerCommandHandler } from './partners/partner-command.handler.js';
import { ProgrammeCommandHandler } from './programmes/programme-command.handler.js';
import { ElectionsController } from './elections/elections.controller.js';
import { FeedbackController } from './feedback/feedback.controller.js';
import { ProgrammesController } from './programmes/programmes.controller.js';
import { LEDGER_CONFIG, type LedgerConfig } from './config/ledger-config.js';
import { AuditController } from './audit/audit.controller.js';
import { GovernanceController } from './governance/governance.controller.js';
import { GroupsController } from './groups/groups-read.controller.js';
import { HistoryController } from './history/history.controller.js';
import { InfluenceController } from './feedback/influence.controller.js';
import { ExportsController } from './reports/exports.controller.js';
import { PartnersReadController } from './partners/partners-read.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { GroupActivityController } from './groups/groups.controller.js';
import { PartnerActivityController } from './partners/partners.controller.js';
import { MeController, WebController } from './web/web.controller.js';
import { HealthController } from './operations/health.controller.js';
import { MetricsController } from './operations/metrics.controller.js';
import { MetricsService } from './operations/metrics.service.js';
import { TerminusModule } from '@nestjs/terminus';
import { PartnersController } from './partners/partners-recruitment.controller.js';
import { LedgerLifecycle, ledgerStoreProviders } from './infrastructure/ledger-store.providers.js';
import { ReadModels } from './infrastructure/read-models.service.js';
import { ElectionResultSaga } from './sagas/election-result.saga.js';
import { ErasureSaga } from './sagas/erasure.saga.js';
import { LEDGER_SAGAS, type LedgerSaga } from './sagas/saga.js';
import { SagaRunner } from './sagas/saga-runner.js';
import { WithdrawalSaga } from './sagas/withdrawal.saga.js';

@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), TerminusModule.forRoot({ logger: false })],
      controllers: [
        ProgrammesController,
        GroupsController,
        GroupActivityController,
        PartnersController,
        PartnerActivityController,
        ElectionsController,
        FeedbackController,
        GovernanceController,
        AuditController,
        HistoryController,
        InfluenceController,
        PartnersReadController,
        ReportsController,
        ExportsController,
        MeController,
        WebController,
        HealthController,
        MetricsController,
      ],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        ...ledgerStoreProviders,
        MetricsService,
        ...securityProviders,
        LedgerLifecycle,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: PseudonymisingInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        ReadModels,
        DeciderRunner,
        GroupCommandHandler,
        PartnerCommandHandler,
        ProgrammeCommandHandler,
        ElectionCommandHandler,
        FeedbackCommandHandler,
        WithdrawalSaga,
        ElectionResultSaga,
        ErasureSaga,
        {
          provide: LEDGER_SAGAS,
          inject: [WithdrawalSaga, ElectionResultSaga, ErasureSaga],
          useFactory: (...sagas: LedgerSaga[]) => sagas,
        },
        SagaRunner,
      ],
    };
  }
}
