/**
 * Why a read was refused, independent of transport (the API maps them to
 * HTTP statuses; `code` and `details` are the body's).
 */

/** A read's parameter is malformed: an impossible date, a position that is not one (HTTP 400). */
export class InvalidReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'InvalidReadError';
  }
}

/** The read models (or the sagas) did not reach the position a read waits for in time (HTTP 503). */
export class ProjectionBehindError extends Error {
  readonly code = 'projection_behind';

  constructor(
    /** The position waited for, as the client gave it. */
    readonly minPosition: string,
    /** The read models' checkpoint when the wait gave up. */
    readonly checkpoint: bigint | null,
  ) {
    super('The read models have not reached minPosition yet');
    this.name = 'ProjectionBehindError';
  }

  get details(): Record<string, unknown> {
    return {
      minPosition: this.minPosition,
      checkpoint: this.checkpoint === null ? null : Number(this.checkpoint),
    };
  }
}
