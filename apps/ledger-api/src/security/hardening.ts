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
  const policy = (scriptSrc: string[]) =>
    helmetHeaders({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc,
          // The page's charts and Swagger UI set inline styles.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
    });
  // The evaluator page loads only its own modules: no inline script runs anywhere
  // but Swagger UI at /docs, which needs its inline bootstrap.
  const securityHeaders = policy(["'self'"]);
  const docsHeaders = policy(["'self'", "'unsafe-inline'"]);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.headers(isSwaggerUi(request.url) ? docsHeaders : securityHeaders);
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

/** Swagger UI's pages (`/docs`, `/docs/…`), not the OpenAPI document at `/docs-json`. */
export function isSwaggerUi(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');
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
