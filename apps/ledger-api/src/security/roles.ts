import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';

/** Who may do what: the office records, auditors read everything, evaluators read pseudonymised data. */
export const ROLES = ['programme-office', 'auditor', 'evaluator'] as const;
export type Role = (typeof ROLES)[number];

export const READERS: readonly Role[] = ['programme-office', 'auditor', 'evaluator'];
export const RECORDERS: readonly Role[] = ['programme-office'];
export const AUDITORS: readonly Role[] = ['programme-office', 'auditor'];

export const ACCESS = 'ledger:access';
export type Access = { public: true } | { public: false; roles: readonly Role[] };

const errorSchema = { $ref: '#/components/schemas/ErrorBody' };

/**
 * The route needs one of these roles (deny by default: a route without a
 * decision is refused). Documented as bearer security with its 401 and 403.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS, { public: false, roles } satisfies Access),
    ApiBearerAuth('bearer'),
    ApiResponse({
      status: 401,
      description: '`unauthenticated`: no valid API key (`Authorization: Bearer <key>`)',
      schema: errorSchema,
    }),
    ApiResponse({
      status: 403,
      description: `\`forbidden\`: only ${roles.join(', ')} may use this route`,
      schema: errorSchema,
    }),
  );

/** The route is open to anyone: health and the API docs only. */
export const Public = () => SetMetadata(ACCESS, { public: true } satisfies Access);
