import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeys } from './api-key.store.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { ACCESS, type Access, type Role } from './roles.js';

export type AuthenticatedRequest = FastifyRequest & { actor?: Role };

/**
 * Deny by default: a route answers only if it is marked @Public() or
 * @Roles(...) and the caller's `Authorization: Bearer <key>` maps to one of
 * those roles (401 without a valid key, 403 for a role the route does not
 * admit). A route with no decision is refused for everyone. An address that
 * failed to authenticate too often gets 429 on every guarded route until its
 * window ends (AuthFailureLimiter).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
    private readonly failures: AuthFailureLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access?.public) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const lockout = this.failures.lockoutOf(request.ip);
    if (lockout) {
      void http
        .getResponse<FastifyReply>()
        .header('retry-after', String(lockout.retryAfterSeconds));
      throw new HttpException(
        refusal(
          'too_many_failed_authentications',
          `More than ${lockout.limit} failed authentications a minute from this address; retry in ${lockout.retryAfterSeconds} s`,
          { ...lockout },
        ),
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const role = this.authenticate(request);
    if (!access) {
      throw new ForbiddenException(
        refusal('forbidden', 'This route has no access decision and is refused'),
      );
    }
    if (!access.roles.includes(role)) {
      throw new ForbiddenException(
        refusal('forbidden', `The ${role} role may not use this route`, { role }),
      );
    }
    return true;
  }

  private authenticate(request: AuthenticatedRequest): Role {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const role = match ? this.keys.roleOf(match[1]!) : null;
    if (!role) {
      this.failures.recordFailure(request.ip);
      throw new UnauthorizedException(
        refusal('unauthenticated', 'Send a valid API key: Authorization: Bearer <key>'),
      );
    }
    request.actor = role;
    return role;
  }
}

/**
 * The error body as the exception filter sends it (Nest's own HTTP
 * exceptions, so that security/ needs nothing from http/).
 */
function refusal(code: string, message: string, details: Record<string, unknown> = {}) {
  return { code, message, details };
}
