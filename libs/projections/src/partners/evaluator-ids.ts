import type Database from 'better-sqlite3';

/** Kinds of id an evaluator may name in a request (as a pseudonym): a path parameter or a filter. */
export type EvaluatorIdKind = 'partner' | 'feedback' | 'election';

/**
 * Every partner, feedback and election id the read models know: what the
 * API pseudonymises to turn an evaluator's pseudonym back into an id after a
 * restart or on another replica.
 */
export class EvaluatorIds {
  private readonly queries: Array<[EvaluatorIdKind, string]> = [
    ['partner', 'SELECT partner_id AS id FROM gov_partners'],
    ['feedback', 'SELECT feedback_id AS id FROM inf_feedback'],
    ['election', 'SELECT election_id AS id FROM el_elections'],
  ];

  constructor(private readonly db: Database.Database) {}

  *ids(): Generator<readonly [EvaluatorIdKind, string]> {
    for (const [kind, sql] of this.queries) {
      let rows: Array<{ id: string }>;
      try {
        rows = this.db.prepare<[], { id: string }>(sql).all();
      } catch {
        continue; // a table being rebuilt: its ids are back once it is
      }
      for (const { id } of rows) yield [kind, id] as const;
    }
  }
}
