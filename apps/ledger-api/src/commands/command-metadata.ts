/** Who asked, why, and under which concurrency expectation. */
export interface CommandMetadata {
  commandId: string;
  correlationId: string;
  causationId: string;
  actor: string;
  /** From `Idempotency-Key`: ids the command creates derive from it. */
  idempotencyKey?: string;
  /** From `If-Match`: the revision the client last saw; a mismatch is a 409, never retried. */
  expectedRevision?: bigint;
}

export interface CommandResult {
  /** Id of the thing the command created or changed. */
  id: string;
  streamId: string;
  revision: bigint;
  position: bigint;
  /** When the store recorded the command's last event: a `knownAt` that includes the write. */
  recordedAt: Date;
}
