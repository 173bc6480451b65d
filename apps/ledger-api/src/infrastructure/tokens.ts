/**
 * Injection tokens for what the store providers build. A module of its own,
 * so that command handlers and sagas depend on the tokens, never on the
 * providers that assemble the store. (`EVENT_STORE` lives in @app/event-store.)
 */

/** The read-model database (better-sqlite3). */
export const READ_DB = Symbol('READ_DB');

/** Every read model's queries over READ_DB (`ReadContext` of @app/projections), built once. */
export const READ_QUERIES = Symbol('READ_QUERIES');

/** The domain's UpcasterRegistry: the schema version writers stamp on each event. */
export const UPCASTERS = Symbol('UPCASTERS');

/** Events as stored: ciphertext and all. For integrity checks. */
export const RAW_EVENT_STORE = Symbol('RAW_EVENT_STORE');

/**
 * The PostgreSQL a cluster's replicas share (`LedgerPostgres`), or null in
 * embedded mode. Person keys, API key hashes and idempotency records live
 * there when `LEDGER_STORE=eventstoredb`.
 */
export const SHARED_POSTGRES = Symbol('SHARED_POSTGRES');
