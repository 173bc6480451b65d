import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LedgerConfig } from '../config/ledger-config.js';

/**
 * Security headers (helmet), CORS only for configured origins, and a rate
 * limit per client (its API key if it sent one, else its address) answering
 * 429 in the ledger's error shape.
 */
export async function harden(app: NestFastifyApplication, config: LedgerConfig): Promise<void> {
  // Built once. @fastify/helmet builds helmet's middleware anew for every request
  // (5% of the HTTP command profile); the headers are the same for every route,
  // so helmet runs once, at start-up, and each reply gets the headers it set.
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI at /docs and the evaluator page use inline styles and a bootstrap script.
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      reply.headers(securityHeaders);
      done();
    });
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'idempotency-key',
        'if-match',
        'x-correlation-id',
      ],
      // Read answers say how far behind the read models are; a 503 says when to retry.
      exposedHeaders: ['ledger-read-position', 'ledger-read-lag', 'ledger-store', 'retry-after'],
    });
  }
  if (config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => {
        const auth = request.headers.authorization;
        return typeof auth === 'string'
          ? `key:${createHash('sha256').update(auth).digest('hex')}`
          : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        code: 'too_many_requests',
        message: `Rate limit of ${context.max} requests a minute reached; retry in ${Math.ceil(context.ttl / 1000)} s`,
        details: { limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      }),
    });
  }
}

/**
 * The headers helmet sets with these options, found by running it once on a
 * response that only records them: its options are static (no nonce, no
 * per-request function), so every reply gets the same set.
 */
export function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown = null;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      failed = error ?? null;
    },
  );
  if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
  return headers;
}
