import { ApiError } from './errors/error-body.js';

/** A list's page size: `default` when absent, else an integer from 1 to `max` (400 `invalid_limit`). */
export function pageLimit(
  value: string | undefined,
  bounds: { default: number; max: number },
): number {
  if (value === undefined || value === '') return bounds.default;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(limit) || limit < 1 || limit > bounds.max) {
    throw new ApiError(400, 'invalid_limit', `limit must be an integer from 1 to ${bounds.max}`);
  }
  return limit;
}

/** How a paged list's `limit` and `cursor` query parameters are documented. */
export function pageParameters(what: string, bounds: { default: number; max: number }) {
  return {
    limit: {
      description: `${what} a page, 1 to ${bounds.max} (default ${bounds.default})`,
      schema: { type: 'integer' as const, minimum: 1, maximum: bounds.max },
    },
    cursor: {
      description: 'Continue after a previous page: its `next` (absent or null on the last page)',
      schema: { type: 'string' as const },
    },
  };
}
