import type { TimePoint } from '../governance/governance.queries.js';
import { InvalidReadError } from './read-errors.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const POSITION = /^\d{1,18}$/;

/**
 * Is the leading date a real one from year 1 on? `Date.parse` rolls
 * 2019-02-30 over to 2 March and accepts year 0000.
 */
function realCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * A time parameter of a read (`asOf`, `knownAt`, `since`…) in ms since the
 * epoch. A date alone means the end of that day (UTC): "who sat on the
 * board on 1 March 2014" includes that day's seats.
 */
export function parseInstant(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  let ms: number;
  if (!realCalendarDate(value)) ms = Number.NaN;
  else if (DATE_ONLY.test(value)) ms = Date.parse(`${value}T23:59:59.999Z`);
  else if (INSTANT.test(value)) ms = Date.parse(value);
  else ms = Number.NaN;
  if (Number.isNaN(ms)) {
    throw new InvalidReadError(
      'invalid_time',
      `${name} must be a date (2014-03-01) or an ISO 8601 instant`,
      { parameter: name },
    );
  }
  return ms;
}

/** The bitemporal point a read asks for; both default to `now`. */
export function timePoint(query: { asOf?: string; knownAt?: string }, now = Date.now()): TimePoint {
  const asOf = parseInstant('asOf', query.asOf) ?? now;
  const knownAt = parseInstant('knownAt', query.knownAt) ?? now;
  return { asOf: new Date(asOf).toISOString(), knownAt };
}

/** A position in `$all` as a read parameter (a non-negative integer). */
export function isPosition(value: string): boolean {
  return POSITION.test(value);
}
