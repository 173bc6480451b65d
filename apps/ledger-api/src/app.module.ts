import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from './audit/audit.module.js';
import type { LedgerConfig } from './config/ledger-config.js';
import { ElectionsModule } from './elections/elections.module.js';
import { FeedbackModule } from './feedback/feedback.module.js';
import { GovernanceModule } from './governance/governance.module.js';
import { GroupsModule } from './groups/groups.module.js';
import { HistoryModule } from './history/history.module.js';
import { LedgerCoreModule } from './infrastructure/ledger-core.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { PartnersModule } from './partners/partners.module.js';
import { ProgrammesModule } from './programmes/programmes.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { WebModule } from './web/web.module.js';

/** The ledger: one module per stream, one per cross-stream view, and the core they share. */
@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        LedgerCoreModule.forRoot(config),
        ProgrammesModule,
        PartnersModule,
        GroupsModule,
        ElectionsModule,
        FeedbackModule,
        GovernanceModule,
        ReportsModule,
        HistoryModule,
        AuditModule,
        OperationsModule,
        WebModule,
      ],
    };
  }
}
