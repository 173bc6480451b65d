import {
  DomainError,
  FEEDBACK_CHANNELS,
  FEEDBACK_KINDS,
  feedbackCommandStream,
  feedbackDecider,
  type HearFeedback,
} from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const BUSINESS_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const FIELDS = new Set([
  'feedbackId',
  'channel',
  'kind',
  'summary',
  'groupId',
  'raisedBy',
  'occurredAt',
]);

/**
 * The checks HearFeedbackDto makes, written out by hand: the fields a
 * request may have, their types, enumerations, lengths and patterns. Returns
 * the invalid fields (none when valid).
 */
export function invalidHearFeedbackFields(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body'];
  const b = body as Record<string, unknown>;
  const invalid = Object.keys(b).filter((key) => !FIELDS.has(key));
  const optionalId = (key: string) =>
    b[key] === undefined || b[key] === null || (typeof b[key] === 'string' && ID.test(b[key]));
  if (!(b.feedbackId === undefined || (typeof b.feedbackId === 'string' && ID.test(b.feedbackId))))
    invalid.push('feedbackId');
  if (!(FEEDBACK_CHANNELS as readonly unknown[]).includes(b.channel)) invalid.push('channel');
  if (!(FEEDBACK_KINDS as readonly unknown[]).includes(b.kind)) invalid.push('kind');
  if (typeof b.summary !== 'string' || b.summary.length > 2_000) invalid.push('summary');
  if (!optionalId('groupId')) invalid.push('groupId');
  if (!optionalId('raisedBy')) invalid.push('raisedBy');
  if (
    typeof b.occurredAt !== 'string' ||
    !BUSINESS_TIME.test(b.occurredAt) ||
    Number.isNaN(Date.parse(b.occurredAt))
  )
    invalid.push('occurredAt');
  return invalid;
}

/**
 * The bare baseline of the command bench: Fastify alone, with one route
 * doing what POST /v1/feedback does at its core — validate the body, let the
 * feedback decider decide, append durably through the same SqliteEventStore
 * on the same kind of data directory, answer 201 — and nothing else (no
 * Nest, no guards, interceptors, helmet, logging, idempotency or metrics).
 * The app's rate on the same run, divided by this one's, is the share of
 * the machine the HTTP stack leaves to the ledger.
 */
export async function startBareServer(dataDir: string, port: number) {
  const store = new SqliteEventStore({ path: join(dataDir, 'events.sqlite') });
  const app = Fastify({ logger: false });
  app.post('/v1/feedback', async (request, reply) => {
    const invalid = invalidHearFeedbackFields(request.body);
    if (invalid.length > 0) {
      return reply.code(400).send({
        code: 'validation_failed',
        message: 'Invalid fields',
        details: { fields: invalid.map((field) => ({ field })) },
      });
    }
    const dto = request.body as Record<string, string | null | undefined>;
    const command: HearFeedback = {
      type: 'HearFeedback',
      data: {
        feedbackId: dto.feedbackId ?? randomUUID(),
        channel: dto.channel as HearFeedback['data']['channel'],
        kind: dto.kind as HearFeedback['data']['kind'],
        summary: dto.summary!,
        groupId: dto.groupId ?? null,
        raisedBy: dto.raisedBy ?? null,
        occurredAt: new Date(dto.occurredAt!).toISOString(),
      },
    };
    try {
      const events = feedbackDecider.decide(command, feedbackDecider.initialState(), {
        now: new Date().toISOString(),
      });
      const commandId = randomUUID();
      const result = await store.appendToStream(
        feedbackCommandStream(command),
        events.map((event) => ({
          id: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: {
            actor: 'programme-office',
            commandId,
            correlationId: commandId,
            causationId: commandId,
            schemaVersion: 1,
          },
        })),
        { expectedRevision: 'no_stream' },
      );
      return reply.code(201).send({
        id: command.data.feedbackId,
        revision: Number(result.nextExpectedRevision),
        position: Number(result.position),
        recordedAt: new Date().toISOString(),
      });
    } catch (error) {
      if (error instanceof DomainError) {
        return reply.code(422).send({ code: error.code, message: error.message, details: {} });
      }
      throw error;
    }
  });
  await app.listen({ host: '127.0.0.1', port });
  return {
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startBareServer(process.argv[2]!, Number(process.argv[3]));
  process.stdout.write('listening\n');
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
}
