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

type Key = readonly string[];
const compareKeys = (a: Key, b: Key): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/**
 * One page of a list held in memory, in the order of `key` (a tuple of
 * strings, compared element by element): the items after `cursor` (a
 * previous page's `next`, the opaque key of its last item), at most `limit`.
 * 400 `invalid_cursor` for a cursor no page gave.
 */
export function keyedPage<T>(
  items: readonly T[],
  key: (item: T) => Key,
  limit: number,
  cursor: string | undefined,
): { items: T[]; next: string | null } {
  const sorted = [...items].sort((a, b) => compareKeys(key(a), key(b)));
  let from = 0;
  if (cursor !== undefined && cursor !== '') {
    const after = decodeKey(cursor);
    from = sorted.findIndex((item) => compareKeys(key(item), after) > 0);
    if (from < 0) from = sorted.length;
  }
  const page = sorted.slice(from, from + limit);
  const more = sorted.length > from + limit;
  return {
    items: page,
    next: more ? encodeCursor(key(page[page.length - 1]!)) : null,
  };
}

/** A page's `next`: the opaque key of its last item (as `keyedPage` gives it). */
export const encodeCursor = (key: Key): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** The key a cursor continues after; `null` without one; 400 `invalid_cursor` for one no page gave. */
export const cursorKey = (cursor: string | undefined): Key | null =>
  cursor === undefined || cursor === '' ? null : decodeKey(cursor);

function decodeKey(cursor: string): Key {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // not JSON: refused below
  }
  throw new ApiError(400, 'invalid_cursor', 'cursor must be the next of a previous page', {
    parameter: 'cursor',
  });
}
