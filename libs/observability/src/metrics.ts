import { Controller, Get, Header, Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * prom-client's gauges that end in `_total`, which Prometheus reserves for counters
 * (`promtool check metrics` warns of each). Each is the sum of a gauge kept beside it by
 * type (`nodejs_active_handles_total` = `sum(nodejs_active_handles)`), so nothing is lost.
 */
const MISNAMED_DEFAULT_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * One Prometheus registry per application (not the process-wide default), so
 * several services can run in one process — as the integration tests do.
 * Labels never carry personal data: only service, system, topic and status names.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    for (const name of MISNAMED_DEFAULT_GAUGES) this.registry.removeSingleMetric(name);
  }

  counter<L extends string>(cfg: CounterConfiguration<L>): Counter<L> {
    return (
      this.existing<Counter<L>>(cfg.name) ?? new Counter({ ...cfg, registers: [this.registry] })
    );
  }

  gauge<L extends string>(cfg: GaugeConfiguration<L>): Gauge<L> {
    return this.existing<Gauge<L>>(cfg.name) ?? new Gauge({ ...cfg, registers: [this.registry] });
  }

  histogram<L extends string>(cfg: HistogramConfiguration<L>): Histogram<L> {
    return (
      this.existing<Histogram<L>>(cfg.name) ?? new Histogram({ ...cfg, registers: [this.registry] })
    );
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
