import Fastify, { type FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { correlationIdOf, instrumentHttp } from './logging.js';
import { MetricsService } from './metrics.service.js';

describe('access log', () => {
  it('writes one JSON line per request with actor, route and outcome, and never the key', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const fastify = Fastify({
      loggerInstance: pino(sink),
      genReqId: correlationIdOf,
      disableRequestLogging: true,
    });
    instrumentHttp(fastify as unknown as FastifyInstance, new MetricsService());
    fastify.get('/v1/groups/:id', async (request) => {
      (request as typeof request & { actor: string }).actor = 'auditor';
      return { ok: true };
    });
    // Over a real socket (Jest cannot load inject()'s ESM-only cookie dependency).
    const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
    await fetch(`${url}/v1/groups/board`, {
      headers: { authorization: 'Bearer secret-key-123', 'x-correlation-id': 'abc-1' },
    });
    await fastify.close();
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toEqual([
      expect.objectContaining({
        correlationId: 'abc-1',
        actor: 'auditor',
        method: 'GET',
        route: '/v1/groups/:id',
        status: 200,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-key-123');
  });
});
