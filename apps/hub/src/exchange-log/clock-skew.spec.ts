import { Metrics } from '@lgsp/observability';
import { ClockSkewMetrics } from './clock-skew';
import type { NewLogEntry } from './log-entry.mapper';

const entry = (kind: NewLogEntry['kind'], clockSkewMs?: number): NewLogEntry => ({
  recordId: 'r',
  kind,
  eventId: 'e',
  eventType: 'land.ownership-registered.v1',
  serviceCode: 'ownership-registration',
  provider: 'land',
  consumer: kind === 'PUBLISHED' ? null : 'population',
  status: kind === 'PUBLISHED' ? 'PUBLISHED' : 'SUCCESS',
  errorCode: null,
  reason: null,
  subjectHash: null,
  correlationId: null,
  payloadSha256: null,
  occurredAt: new Date(),
  topic: 't',
  kafkaPartition: 0,
  kafkaOffset: '0',
  ...(clockSkewMs === undefined ? {} : { clockSkewMs }),
});

describe('clock skew as operators see it', () => {
  it('counts corrected entries by the system whose clock ran ahead, and records by how much', async () => {
    const metrics = new Metrics('hub-spec');
    new ClockSkewMetrics(metrics).observe([
      entry('PUBLISHED', 48_000),
      entry('RECEIPT', 1_200),
      entry('RECEIPT'),
    ]);
    const counted = await metrics.registry
      .getSingleMetric('lgsp_clock_skew_corrections_total')!
      .get();
    expect(counted.values.map((v) => [v.labels.system, v.labels.kind, v.value])).toEqual([
      ['land', 'PUBLISHED', 1],
      ['population', 'RECEIPT', 1],
    ]);
    const skew = await metrics.registry.getSingleMetricAsString('lgsp_clock_skew_seconds');
    expect(skew).toMatch(/_sum\{[^}]*system="land",kind="PUBLISHED"[^}]*\} 48\n/);
    expect(skew).toMatch(/_sum\{[^}]*system="population",kind="RECEIPT"[^}]*\} 1\.2\n/);
  });
});
