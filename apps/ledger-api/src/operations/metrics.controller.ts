import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProjectionRunner, SubscriberCheckpoint } from '@app/projections';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { MetricsService } from './metrics.service.js';
import { AUDITORS, Roles } from '../security/roles.js';

@Roles(...AUDITORS)
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
    private readonly sagas: SubscriberCheckpoint,
  ) {}

  /** Prometheus text format. Lag is measured at scrape time. */
  @Get()
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    const head = await this.store.headPosition();
    for (const [subscriber, checkpoint] of [
      ['projections', this.projections.checkpoint],
      ['sagas', this.sagas.position],
    ] as const) {
      const behind = head === null ? 0 : Number(head - (checkpoint ?? 0n));
      this.metrics.projectionLagEvents.set({ subscriber }, behind);
      let seconds = 0;
      if (behind > 0) {
        const page = await this.store.readAll({ fromPosition: checkpoint ?? 'start', maxCount: 2 });
        const oldest = page.find((event) => checkpoint === null || event.position > checkpoint);
        if (oldest) seconds = Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000);
      }
      this.metrics.projectionLagSeconds.set({ subscriber }, seconds);
    }
    return this.metrics.registry.metrics();
  }
}
