import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiError } from './errors/error-body.js';

/** Ids are slugs or UUIDs: safe in stream names, URLs and CSV. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const ID_MESSAGE =
  'must be 1–100 letters, digits, "-" or "_", starting with a letter or digit';

@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw new ApiError(400, 'invalid_id', `Id '${String(value).slice(0, 100)}' ${ID_MESSAGE}`);
    }
    return value;
  }
}

/** An id given as a query filter (`groupId`, `partnerId`): absent, or an id (400 `invalid_id`). */
export const idFilter = (name: string, value: string | undefined): string | undefined => {
  if (value === undefined || value === '') return undefined;
  if (!ID_PATTERN.test(value)) throw new ApiError(400, 'invalid_id', `${name} is not a valid id`);
  return value;
};
