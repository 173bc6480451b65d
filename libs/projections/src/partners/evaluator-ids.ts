import type Database from 'better-sqlite3';

/** Kinds of id the API pseudonymises for evaluators (apps/ledger-api/src/security/pseudonyms.ts). */
export type EvaluatorIdKind =
  | 'partner'
  | 'seat'
  | 'claim'
  | 'payment'
  | 'election'
  | 'meeting'
  | 'decision'
  | 'feedback'
  | 'response'
  | 'workshop';

const QUERIES: Array<[EvaluatorIdKind, string]> = [
  ['partner', 'SELECT partner_id AS id FROM gov_partners'],
  ['feedback', 'SELECT feedback_id AS id FROM inf_feedback'],
  ['election', 'SELECT election_id AS id FROM el_elections'],
  ['seat', 'SELECT DISTINCT seat_id AS id FROM gov_tenures'],
  [
    'claim',
    `SELECT DISTINCT json_extract(detail, '$.claimId') AS id FROM pf_facts
      WHERE type = 'ExpenseClaimed'`,
  ],
  [
    'payment',
    `SELECT DISTINCT json_extract(detail, '$.paymentId') AS id FROM pf_facts
      WHERE type IN ('InvolvementPaymentRecorded', 'InvolvementPaymentDeclined')`,
  ],
  ['meeting', 'SELECT DISTINCT meeting_id AS id FROM pf_meetings'],
  ['decision', 'SELECT DISTINCT decision_id AS id FROM inf_decisions'],
  ['response', 'SELECT DISTINCT response_id AS id FROM inf_responses'],
  ['workshop', 'SELECT DISTINCT workshop_id AS id FROM prg_workshops'],
];

/**
 * Every id the API pseudonymises for evaluators, and every partner's name,
 * as the read models know them: what turns an evaluator's pseudonym back
 * into an id (after a restart, or on another replica), and what is looked
 * for in free text (a summary that quotes a name or a seat id).
 */
export class EvaluatorIds {
  constructor(private readonly db: Database.Database) {}

  *ids(): Generator<readonly [EvaluatorIdKind, string]> {
    for (const [kind, sql] of QUERIES) {
      for (const { id } of this.rows<{ id: unknown }>(sql)) {
        if (typeof id === 'string' && id !== '') yield [kind, id] as const;
      }
    }
  }

  /** Partners' names as stored (erased names are gone from the read store). */
  *names(): Generator<readonly [string, string]> {
    for (const row of this.rows<{ id: string; name: string }>(
      `SELECT partner_id AS id, name FROM gov_partners WHERE name <> '[erased]'`,
    )) {
      yield [row.id, row.name] as const;
    }
  }

  private rows<T>(sql: string): T[] {
    try {
      return this.db.prepare<[], T>(sql).all();
    } catch {
      return []; // a table being rebuilt: its ids are back once it is
    }
  }
}
