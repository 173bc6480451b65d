import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';
import {
  addClaim,
  expenseFact,
  factOrder,
  foldExpenseFacts,
  isExpenseFact,
  type ExpenseFact,
} from './expenses.js';

/** Claims folded per page in a rebuild's `finish`. */
const FOLD_PAGE = 512;

interface ClaimFacts {
  partner_id: string;
  claim_id: string;
  facts: string;
}

/**
 * Each expense claim as it stands now, folded per event from its own facts
 * (a claim's few facts kept with it, only the fields the fold reads) with the
 * same fold a read over the facts known at a time point uses
 * (`reports/expenses.ts`), and its money summed as the report sums it, so
 * the expenses report "now" pages claims in claim order and sums partner
 * months in one grouped read. `exp_horizon` holds the latest business and
 * record time folded in: a time point before it folds the facts instead. A
 * rebuild only appends each fact to its claim's row per event and folds
 * every claim once, after its last event (`bulkReplay`), to the same rows.
 */
export class ExpensesProjection implements Projection {
  readonly name = 'expenses';
  readonly tables = ['exp_claims', 'exp_horizon'] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS exp_claims (
      partner_id         TEXT NOT NULL,
      claim_id           TEXT NOT NULL,
      facts              TEXT NOT NULL,
      claimed_at         TEXT,
      position           INTEGER,
      month              TEXT,
      claimed_pence      INTEGER NOT NULL,
      reimbursed_pence   INTEGER NOT NULL,
      rejected_pence     INTEGER NOT NULL,
      outstanding_pence  INTEGER NOT NULL,
      settled            INTEGER NOT NULL,
      settled_days       INTEGER NOT NULL,
      claim              TEXT,
      PRIMARY KEY (partner_id, claim_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS exp_horizon (
      id           INTEGER PRIMARY KEY CHECK (id = 1),
      occurred_max TEXT NOT NULL,
      recorded_max INTEGER NOT NULL
    );
  `;
  readonly indexes = `
    CREATE INDEX IF NOT EXISTS exp_claims_order ON exp_claims (claimed_at, position)
      WHERE claimed_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS exp_claims_month ON exp_claims (partner_id, month, claimed_pence,
      reimbursed_pence, rejected_pence, outstanding_pence, settled, settled_days, claimed_at)
      WHERE claimed_at IS NOT NULL;
  `;

  private db!: Database.Database;
  /** In a rebuild's replay: facts appended to their claims, folded at `finish`. */
  private bulk = false;
  private stmt!: {
    factsOf: Database.Statement<[string, string], { facts: string }>;
    save: Database.Statement;
    append: Database.Statement;
    widenHorizon: Database.Statement;
  };

  prepare(db: Database.Database): void {
    this.db = db;
    this.stmt = {
      factsOf: db.prepare('SELECT facts FROM exp_claims WHERE partner_id = ? AND claim_id = ?'),
      save: db.prepare(
        'INSERT OR REPLACE INTO exp_claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      append: db.prepare(`INSERT INTO exp_claims
        VALUES (@partnerId, @claimId, '[' || @fact || ']', NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL)
        ON CONFLICT DO UPDATE SET facts = substr(facts, 1, length(facts) - 1) || ',' || @fact || ']'`),
      widenHorizon: db.prepare(`INSERT INTO exp_horizon VALUES (1, ?, ?)
        ON CONFLICT (id) DO UPDATE SET occurred_max = max(occurred_max, excluded.occurred_max),
          recorded_max = max(recorded_max, excluded.recorded_max)`),
    };
  }

  apply(event: RecordedEvent): void {
    if (!isExpenseFact(event.type)) return;
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (typeof data.partnerId !== 'string') return;
    const occurredAt = String(data.occurredAt ?? '');
    const fact = expenseFact(Number(event.position), data.partnerId, event.type, occurredAt, data);
    if (this.bulk) {
      const { partnerId, claimId } = fact;
      this.stmt.append.run({ partnerId, claimId, fact: JSON.stringify(fact) });
    } else this.keep(fact);
    this.stmt.widenHorizon.run(occurredAt, event.recordedAt.getTime());
  }

  bulkReplay(phase: 'start' | 'finish' | 'abandon'): void {
    this.bulk = phase === 'start';
    if (phase === 'finish') this.foldAll();
    // What the failed replay committed is kept: its claims folded, so that live facts add to them.
    if (phase === 'abandon') this.db.transaction(() => this.foldAll())();
  }

  /**
   * Every claim, from the facts appended to it, as `keep` folds one (a fact
   * once): a page of claims at a time in key order (the next page read after
   * the last one's key, nothing held open while rows are written), so memory
   * stays flat in the log's length.
   */
  private foldAll(): void {
    const first = this.db.prepare<[], ClaimFacts>(
      `SELECT partner_id, claim_id, facts FROM exp_claims
       ORDER BY partner_id, claim_id LIMIT ${FOLD_PAGE}`,
    );
    const after = this.db.prepare<[string, string], ClaimFacts>(
      `SELECT partner_id, claim_id, facts FROM exp_claims WHERE (partner_id, claim_id) > (?, ?)
       ORDER BY partner_id, claim_id LIMIT ${FOLD_PAGE}`,
    );
    for (let page = first.all(); page.length > 0;) {
      for (const { facts } of page) {
        const byPosition = new Map<number, ExpenseFact>();
        for (const fact of JSON.parse(facts) as ExpenseFact[])
          if (!byPosition.has(fact.position)) byPosition.set(fact.position, fact);
        this.save([...byPosition.values()].sort(factOrder));
      }
      const last = page[page.length - 1]!;
      page = page.length < FOLD_PAGE ? [] : after.all(last.partner_id, last.claim_id);
    }
  }

  /** Folds a fact into its claim's kept row (idempotent, in any order). */
  private keep(fact: ExpenseFact): void {
    const stored = this.stmt.factsOf.get(fact.partnerId, fact.claimId);
    const facts = stored ? (JSON.parse(stored.facts) as ExpenseFact[]) : [];
    if (!facts.some((f) => f.position === fact.position)) facts.push(fact);
    this.save(facts.sort(factOrder));
  }

  /** A claim's row: its facts (in fold order), the claim folded from them and its money. */
  private save(facts: ExpenseFact[]): void {
    const { partnerId, claimId } = facts[0]!;
    const [claim] = foldExpenseFacts(facts);
    const sums = { claimedPence: 0, reimbursedPence: 0, rejectedPence: 0, outstandingPence: 0 };
    if (claim) addClaim(sums, claim);
    this.stmt.save.run(
      partnerId,
      claimId,
      JSON.stringify(facts),
      claim?.claimedAt ?? null,
      claim?.position ?? null,
      claim?.month ?? null,
      sums.claimedPence,
      sums.reimbursedPence,
      sums.rejectedPence,
      sums.outstandingPence,
      claim?.daysToSettle != null ? 1 : 0,
      claim?.daysToSettle ?? 0,
      claim ? JSON.stringify(claim) : null,
    );
  }
}
