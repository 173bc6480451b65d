import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { ReadLag } from './read-lag.js';

/** Health and Prometheus metrics for operators. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [ReadLag],
  exports: [ReadLag],
})
export class OperationsModule {}
