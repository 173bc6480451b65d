import type { AppendOutcome, EventStoreObserver } from '@app/event-store';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics, in a registry of this app's own (not prom-client's
 * global one), so that several apps in one process — the e2e suite — do not
 * share counters.
 */
@Injectable()
export class MetricsService implements EventStoreObserver {
  readonly registry = new Registry();

  readonly appendSeconds = new Histogram({
    name: 'ledger_append_duration_seconds',
    help: 'Time from an append being handed to the event store to its acknowledgement (durable)',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly appendedEvents = new Counter({
    name: 'ledger_appended_events_total',
    help: 'Events appended',
    registers: [this.registry],
  });

  readonly conflicts = new Counter({
    name: 'ledger_append_conflicts_total',
    help: 'Appends refused because the stream was not at the expected revision',
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'ledger_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpSeconds = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly projectionLagEvents = new Gauge({
    name: 'ledger_projection_lag_events',
    help: 'Events in the log not yet applied to the read models (or handled by sagas)',
    labelNames: ['subscriber'] as const,
    registers: [this.registry],
  });

  readonly projectionLagSeconds = new Gauge({
    name: 'ledger_projection_lag_seconds',
    help: 'Age of the oldest event not yet applied (0 when caught up)',
    labelNames: ['subscriber'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_' });
  }

  /** Times every append and counts the events written and the revision conflicts. */
  appendStarted(): (outcome: AppendOutcome, events: number) => void {
    const stop = this.appendSeconds.startTimer();
    return (outcome, events) => {
      stop({ outcome });
      if (outcome === 'ok') this.appendedEvents.inc(events);
      if (outcome === 'conflict') this.conflicts.inc();
    };
  }
}
