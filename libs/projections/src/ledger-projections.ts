import { ResponseClockProjection } from './clock/response-clock.projection.js';
import type { Projection } from './core/projection.js';
import { ElectionsProjection } from './elections/elections.projection.js';
import { GovernanceProjection } from './governance/governance.projection.js';
import { InfluenceProjection } from './influence/influence.projection.js';
import { PartnerFactsProjection } from './partners/partner-facts.projection.js';
import { ProgrammesProjection } from './programmes/programmes.projection.js';
import { ExpensesProjection } from './reports/expenses.projection.js';
import { ReportsProjection } from './reports/reports.projection.js';
import { TimelineIndexProjection } from './timeline/timeline-index.projection.js';

/**
 * Every read model the ledger keeps, fresh instances each call: the app's
 * runner, the CLI's rebuild and replays all build the same set from here.
 */
export function createLedgerProjections(): Projection[] {
  return [
    new GovernanceProjection(),
    new InfluenceProjection(),
    new PartnerFactsProjection(),
    new ReportsProjection(),
    new ElectionsProjection(),
    new ProgrammesProjection(),
    new ResponseClockProjection(),
    new ExpensesProjection(),
    new TimelineIndexProjection(),
  ];
}
