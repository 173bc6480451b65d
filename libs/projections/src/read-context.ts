import type Database from 'better-sqlite3';
import { ElectionQueries } from './elections/elections.queries.js';
import { GovernanceQueries } from './governance/governance.queries.js';
import { InfluenceQueries } from './influence/influence.queries.js';
import { PartnerQueries } from './partners/partner.queries.js';
import { ProgrammeQueries } from './programmes/programmes.queries.js';
import { ResponseClockQueries } from './clock/response-clock.queries.js';
import { InvolvementCostQueries } from './reports/involvement-cost.js';
import { ProgrammeScopes } from './reports/programme-scope.js';
import { ReportQueries } from './reports/reports.queries.js';

/**
 * The read models' queries, over one connection: the app's own (in process),
 * or a reader thread's read-only one (the API's `reads/read-worker.ts`). The queries keep
 * no state of their own, so both answer alike.
 */
export interface ReadContext {
  governance: GovernanceQueries;
  reports: ReportQueries;
  influence: InfluenceQueries;
  clock: ResponseClockQueries;
  involvement: InvolvementCostQueries;
  programmes: ProgrammeQueries;
  elections: ElectionQueries;
  partners: PartnerQueries;
  scopes: ProgrammeScopes;
  /** The last `$all` position the read models had applied, as this read sees them. */
  readPosition(): bigint | null;
}

/** A read context over `db` (the schema must exist: the projection runner installs it). */
export function openReadContext(db: Database.Database, checkpointName = 'ledger'): ReadContext {
  const partners = new PartnerQueries(db);
  const governance = new GovernanceQueries(db);
  const checkpoint = db.prepare<[string], { position: number | null }>(
    'SELECT position FROM checkpoints WHERE name = ?',
  );
  return {
    governance,
    partners,
    reports: new ReportQueries(db, partners, governance),
    influence: new InfluenceQueries(db),
    clock: new ResponseClockQueries(db),
    involvement: new InvolvementCostQueries(db, partners),
    programmes: new ProgrammeQueries(db),
    elections: new ElectionQueries(db),
    scopes: new ProgrammeScopes(db),
    readPosition: () => {
      const position = checkpoint.get(checkpointName)?.position;
      return position == null ? null : BigInt(position);
    },
  };
}
