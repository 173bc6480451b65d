import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from './ids.js';

/** Is the literal calendar date real? (Date.parse rolls 2014-02-30 over to 2 March.) */
function realCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Canonical UTC instant for a valid date; anything else is left for the validator to refuse. */
const canonicalInstant = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string' || !realCalendarDate(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};

/**
 * A business date: an ISO 8601 date or instant, stored as a canonical UTC
 * instant so dates compare correctly as strings. May be backdated; the
 * decider refuses the future.
 */
export const BusinessTime = () =>
  applyDecorators(
    Transform(canonicalInstant),
    IsISO8601({ strict: true }, { message: '$property must be an ISO 8601 date or instant' }),
  );

export const OptionalBusinessDate = () =>
  applyDecorators(
    IsOptional(),
    Transform(canonicalInstant),
    IsISO8601({ strict: true }, { message: '$property must be an ISO 8601 date' }),
  );

export const Id = () =>
  applyDecorators(IsString(), Matches(ID_PATTERN, { message: `$property ${ID_MESSAGE}` }));

export const OptionalId = () => applyDecorators(IsOptional(), Id());

export const Text = (max: number) => applyDecorators(IsString(), MinLength(1), MaxLength(max));

/** A role level: a lowercase key naming a role profile of the programme (the domain checks which). */
export const OptionalRoleLevel = () =>
  applyDecorators(
    IsOptional(),
    IsString(),
    MaxLength(100),
    Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
      message: '$property must be a lowercase key, e.g. lay-co-chair',
    }),
  );

/** An ISO 4217 currency code. */
export const Currency = () =>
  applyDecorators(
    IsString(),
    Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code, e.g. GBP' }),
  );
