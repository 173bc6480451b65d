import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from './errors/error-body.js';

/** No command body nests deeper than a handful of levels; 32 leaves ample room. */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses, before validation, a parsed body that
 * - nests deeper than `MAX_BODY_DEPTH`: `400 body_too_deep` (class-transformer
 *   recurses per level, so a few KB of `[[[[…]]]]` would overflow its stack);
 * - holds a string (value or key) that is not well-formed UTF-16, i.e. a lone
 *   surrogate such as `"\ud800"`, which JSON allows: `400 malformed_text`.
 *   Validators that call `encodeURI` (`@IsEmail`) throw on it, and SQLite
 *   would store it as U+FFFD, so it could never be read back as sent.
 */
export function refuseDeepBodies(fastify: FastifyInstance, maxDepth = MAX_BODY_DEPTH): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    const refuse = (body: ErrorBody) =>
      void reply.code(400).header('content-type', 'application/json; charset=utf-8').send(body);
    if (depthExceeds(request.body, maxDepth)) {
      refuse({
        code: 'body_too_deep',
        message: `The body nests objects or arrays more than ${maxDepth} levels deep`,
        details: { maxDepth },
      });
      return;
    }
    const path = illFormedStringAt(request.body);
    if (path !== null) {
      refuse({
        code: 'malformed_text',
        message: 'The body holds text that is not valid Unicode (a lone surrogate)',
        details: { path },
      });
      return;
    }
    done();
  });
}

/** A lone surrogate: in `u` mode a surrogate pair is one code point, so only unpaired halves match. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Where the first string (a value, or a key: `… (a key)`) holding a lone
 * surrogate is, as a path like `a[1].c`; `null` when every string is
 * well-formed. Iterative; run after the depth check.
 */
export function illFormedStringAt(value: unknown): string | null {
  // Nearly every body is well-formed: look first without building paths.
  if (!holdsLoneSurrogate(value)) return null;
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return path;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], `${path}[${i}]`]);
      continue;
    }
    const entries = Object.entries(current);
    for (const [key] of entries) {
      if (LONE_SURROGATE.test(key)) return `${path ? `${path}.` : ''}${key} (a key)`;
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return null;
}

/** Whether any string (value or key) in `value` holds a lone surrogate; iterative. */
function holdsLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return true;
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
    } else if (typeof current === 'object' && current !== null) {
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        if (LONE_SURROGATE.test(key)) return true;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
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
