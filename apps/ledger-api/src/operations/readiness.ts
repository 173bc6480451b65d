/**
 * Further dependencies `/health/ready` checks besides the event store (e.g.
 * the shared PostgreSQL of a cluster): provide an array of checks under this
 * token (exported from a global module) and each becomes an indicator of its
 * own; a check that throws or takes more than 2 s makes the replica unready.
 */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export interface ReadinessCheck {
  /** The indicator's key in the health body, e.g. `postgres`. */
  name: string;
  /** Resolves when the dependency answers. */
  check(): Promise<void>;
}

export const READINESS_CHECK_TIMEOUT_MS = 2_000;

/** Runs `check`, failing after {@link READINESS_CHECK_TIMEOUT_MS}. */
export async function boundedCheck(check: ReadinessCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`${check.name} did not answer within ${READINESS_CHECK_TIMEOUT_MS} ms`)),
      READINESS_CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check.check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
