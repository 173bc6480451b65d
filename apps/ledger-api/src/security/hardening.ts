import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { createHash } from 'node:crypto';
import type { LedgerConfig } from '../config/ledger-config.js';

/**
 * Security headers (helmet), CORS only for configured origins, and a rate
 * limit per client (its API key if it sent one, else its address) answering
 * 429 in the ledger's error shape.
 */
export async function harden(app: NestFastifyApplication, config: LedgerConfig): Promise<void> {
  // Built once. @fastify/helmet builds helmet's middleware anew for every request
  // (5% of the HTTP command profile); the headers are the same for every route.
  const securityHeaders = helmet({
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
    .addHook('onRequest', (request, reply, done) => {
      securityHeaders(request.raw, reply.raw, (error?: unknown) =>
        done(error as Error | undefined),
      );
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
