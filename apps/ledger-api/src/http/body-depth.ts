import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from './errors/error-body.js';

/** No command body nests deeper than a handful of levels; 32 leaves ample room. */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses a parsed body nested deeper than `MAX_BODY_DEPTH` with
 * `400 body_too_deep` before validation: class-transformer recurses per
 * level, so a few KB of `[[[[…]]]]` would otherwise overflow its stack (500).
 */
export function refuseDeepBodies(fastify: FastifyInstance, maxDepth = MAX_BODY_DEPTH): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    if (depthExceeds(request.body, maxDepth)) {
      const body: ErrorBody = {
        code: 'body_too_deep',
        message: `The body nests objects or arrays more than ${maxDepth} levels deep`,
        details: { maxDepth },
      };
      void reply.code(400).header('content-type', 'application/json; charset=utf-8').send(body);
      return;
    }
    done();
  });
}

/** Whether `value` nests objects/arrays deeper than `maxDepth`; iterative, so any depth is safe. */
export function depthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
