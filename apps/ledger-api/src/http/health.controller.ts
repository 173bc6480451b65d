import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReadModels } from '../infrastructure/read-models.service.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  /** 200 when the store answers; reports how far the read models lag the log. */
  @Get()
  @HttpCode(200)
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    let head: bigint | null = null;
    let storeStatus: 'up' | 'down' = 'up';
    try {
      await this.store.ping();
      head = await this.store.headPosition();
    } catch {
      storeStatus = 'down';
      void reply.status(503);
    }
    const checkpoint = this.readModels.runner.checkpoint;
    return {
      status: storeStatus === 'up' ? 'ok' : 'unavailable',
      store: storeStatus,
      projections: {
        ledger: {
          checkpoint: checkpoint === null ? null : Number(checkpoint),
          head: head === null ? null : Number(head),
          behind: head !== null && (checkpoint === null || checkpoint < head),
        },
      },
    };
  }
}
