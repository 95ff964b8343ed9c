import { Counter } from 'prom-client';
import { Metrics } from './metrics';

describe('a service registry', () => {
  it('keeps the `_total` suffix for counters, as Prometheus names them (promtool checks the rest)', () => {
    const metrics = new Metrics('spec');
    metrics.counter({ name: 'lgsp_spec_events_total', help: 'Events.' });
    const families = metrics.registry.getMetricsAsArray();
    const misnamed = families
      .filter((f) => f instanceof Counter !== f.name.endsWith('_total'))
      .map((f) => f.name);
    expect(misnamed).toEqual([]);
    // What prom-client counts by type is still there: the sums stand for the dropped totals.
    expect(families.map((f) => f.name)).toContain('nodejs_active_handles');
  });
});
