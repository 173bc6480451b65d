import type { TimePoint } from '@app/projections';

// Time parameters are parsed where the read models live, so that ReadModels need not depend on http/.
export { parseInstant, timePoint } from '@app/projections';

/** The time point a read answered for, as the body states it: `asOf` and `knownAt` as instants. */
export const answeredAt = (at: TimePoint) => ({
  asOf: at.asOf,
  knownAt: new Date(at.knownAt).toISOString(),
});
