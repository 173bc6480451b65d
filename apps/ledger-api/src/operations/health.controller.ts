import { SubscriberCheckpoint } from '@app/projections';
import {
  Controller,
  Get,
  Inject,
  Optional,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { ref } from '../http/openapi/schemas.js';
import { Public } from '../security/roles.js';
import { ReadLag, type ReadLagMeasurement } from './read-lag.js';
import { boundedCheck, READINESS_CHECKS, type ReadinessCheck } from './readiness.js';

/** The sagas this far behind the log are reported degraded (readiness does not wait for them). */
const DEGRADED_LAG_POSITIONS = 10_000;

/**
 * Liveness and readiness, kept apart: `/health/live` says the process serves
 * HTTP and checks nothing else, so an orchestrator never restarts a replica
 * because the store is down; `/health/ready` (and `/health`, kept for
 * existing probes) says the replica should get traffic: the store answers and
 * the read models are within `LEDGER_READY_MAX_LAG_MS` of it.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readLag: ReadLag,
    private readonly sagas: SubscriberCheckpoint,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    /** Further dependencies a replica needs to serve (none in the embedded mode). */
    @Optional()
    @Inject(READINESS_CHECKS)
    private readonly checks: ReadinessCheck[] | null = null,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Is the process serving? No dependency is checked (liveness probe)' })
  @ApiResponse({ status: 200, description: 'Serving', schema: ref('Health') })
  @HealthCheck()
  live() {
    return this.health.check([
      () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'Should this replica get traffic? The store answers and the read models are within the lag bound',
  })
  @ApiResponse({ status: 200, description: 'Ready', schema: ref('Health') })
  @ApiResponse({
    status: 503,
    description: 'The store does not answer, or the read models lag too far',
    schema: ref('Health'),
  })
  @HealthCheck()
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.readiness(reply);
  }

  /** The same as `/health/ready`, for probes configured before it existed. */
  @Get()
  @ApiOperation({ summary: 'Readiness, as /health/ready (kept for existing probes)' })
  @ApiResponse({ status: 200, description: 'Ready', schema: ref('Health') })
  @ApiResponse({
    status: 503,
    description: 'The store does not answer, or the read models lag too far',
    schema: ref('Health'),
  })
  @HealthCheck()
  check(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.readiness(reply);
  }

  /** The terminus result as the body, 200 or 503 (not the ledger's error shape: probes read it). */
  private async readiness(reply: FastifyReply) {
    const measured = await this.readLag.measure();
    try {
      return await this.health.check([
        () => this.store(measured),
        () => this.projections(measured),
        () => this.sagasLag(measured),
        ...(this.checks ?? []).map((check) => () => this.dependency(check)),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }

  private async dependency(check: ReadinessCheck) {
    const session = this.indicators.check(check.name);
    try {
      await boundedCheck(check);
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  private store(m: ReadLagMeasurement) {
    const session = this.indicators.check('store');
    return m.reachable
      ? session.up({ head: toNumber(m.head) })
      : session.down({ message: m.error ?? 'unreachable' });
  }

  private projections(m: ReadLagMeasurement) {
    const session = this.indicators.check('projections');
    const data = {
      checkpoint: toNumber(m.checkpoint),
      head: toNumber(m.head),
      lagEvents: m.head === null ? 0 : Number(m.head - (m.checkpoint ?? 0n)),
      lagSeconds: m.lagSeconds,
      maxLagSeconds: this.config.readyMaxLagMs / 1000,
    };
    // Unknown while the store is unreachable: the store indicator says so.
    if (m.lagSeconds === null) return session.up(data);
    return m.lagSeconds * 1000 > this.config.readyMaxLagMs ? session.down(data) : session.up(data);
  }

  private sagasLag(m: ReadLagMeasurement) {
    const session = this.indicators.check('sagas');
    const checkpoint = this.sagas.position;
    const behind = m.head === null ? 0 : Number(m.head - (checkpoint ?? 0n));
    const data = { checkpoint: toNumber(checkpoint), head: toNumber(m.head), lagEvents: behind };
    return behind > DEGRADED_LAG_POSITIONS ? session.degraded(data) : session.up(data);
  }
}

const toNumber = (value: bigint | null) => (value === null ? null : Number(value));
