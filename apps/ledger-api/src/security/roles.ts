import { SetMetadata } from '@nestjs/common';

/** Who may do what: the office records, auditors read everything, evaluators read pseudonymised data. */
export const ROLES = ['programme-office', 'auditor', 'evaluator'] as const;
export type Role = (typeof ROLES)[number];

export const READERS: readonly Role[] = ['programme-office', 'auditor', 'evaluator'];
export const RECORDERS: readonly Role[] = ['programme-office'];
export const AUDITORS: readonly Role[] = ['programme-office', 'auditor'];

export const ACCESS = 'ledger:access';
export type Access = { public: true } | { public: false; roles: readonly Role[] };

/** The route needs one of these roles (deny by default: a route without a decision is refused). */
export const Roles = (...roles: Role[]) =>
  SetMetadata(ACCESS, { public: false, roles } satisfies Access);

/** The route is open to anyone: health and the API docs only. */
export const Public = () => SetMetadata(ACCESS, { public: true } satisfies Access);
