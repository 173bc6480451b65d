import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProjectionRunner, SubscriberCheckpoint } from '@app/projections';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from '../http/openapi/schemas.js';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../security/roles.js';

/** A subscriber this far behind the log is reported degraded (still serving, 200). */
const DEGRADED_LAG_EVENTS = 10_000;

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
    private readonly sagas: SubscriberCheckpoint,
  ) {}

  /** 200 while the store answers (503 if not); each subscriber's lag behind the log, in events. */
  @Get()
  @ApiOperation({
    summary: 'Is the ledger serving? The store, and how far projections and sagas lag',
  })
  @ApiResponse({ status: 200, description: 'Serving', schema: ref('Health') })
  @ApiResponse({ status: 503, description: 'The store does not answer', schema: ref('Health') })
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const session = this.indicators.check('store');
        try {
          await this.store.ping();
          const head = await this.store.headPosition();
          return session.up({ head: head === null ? null : Number(head) });
        } catch (error) {
          return session.down({ message: error instanceof Error ? error.message : 'unreachable' });
        }
      },
      async () => this.lag('projections', this.projections.checkpoint),
      async () => this.lag('sagas', this.sagas.position),
    ]);
  }

  private async lag(key: 'projections' | 'sagas', checkpoint: bigint | null) {
    const session = this.indicators.check(key);
    const head = await this.store.headPosition().catch(() => null);
    const behind = head === null ? 0 : Number(head) - Number(checkpoint ?? 0n);
    const data = {
      checkpoint: checkpoint === null ? null : Number(checkpoint),
      head: head === null ? null : Number(head),
      lagEvents: behind,
    };
    return behind > DEGRADED_LAG_EVENTS ? session.degraded(data) : session.up(data);
  }
}
