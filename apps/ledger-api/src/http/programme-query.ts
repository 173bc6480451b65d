import type { ProgrammeScope, ProgrammeScopes } from '@app/projections';
import { ApiError } from './errors/error-body.js';

/**
 * The programmes a read answers for (`programmeId` query parameter): the one
 * named (404 if the ledger has no such programme), else every programme of the
 * ledger; none when the ledger has no programme at all.
 */
export function programmeScopes(
  scopes: ProgrammeScopes,
  programmeId: string | undefined,
): ProgrammeScope[] {
  if (programmeId === undefined || programmeId === '') return scopes.scopes();
  const [scope] = scopes.scopes([programmeId]);
  if (!scope) {
    throw new ApiError(404, 'programme_not_found', `Programme ${programmeId} does not exist`, {
      programmeId,
    });
  }
  return [scope];
}

/**
 * An aggregate read, per programme, never a union: with `programmeId`, or in a
 * ledger with one programme (or none), the answer for it; otherwise
 * `{ programmes: [{ programmeId, name, ...answer }] }`, one entry per programme.
 */
export function perProgramme<T extends object>(
  scopes: ProgrammeScopes,
  programmeId: string | undefined,
  answer: (scope: ProgrammeScope | null) => T,
): T | { programmes: Array<{ programmeId: string; name: string } & T> } {
  const chosen = programmeScopes(scopes, programmeId);
  if (chosen.length <= 1) return answer(chosen[0] ?? null);
  return {
    programmes: chosen.map((scope) => ({
      programmeId: scope.programmeId,
      name: scope.name,
      ...answer(scope),
    })),
  };
}

/**
 * One programme for a file (a CSV or NDJSON export is one programme's table):
 * the one named, the only one, or none in a ledger without programmes; with
 * several and none named, 422 `programme_required` listing them.
 */
export function oneProgramme(
  scopes: ProgrammeScopes,
  programmeId: string | undefined,
): ProgrammeScope | null {
  const chosen = programmeScopes(scopes, programmeId);
  if (chosen.length <= 1) return chosen[0] ?? null;
  const programmes = chosen.map((scope) => scope.programmeId);
  throw new ApiError(
    422,
    'programme_required',
    `The ledger runs ${programmes.length} programmes: name one (programmeId)`,
    { programmes },
  );
}
