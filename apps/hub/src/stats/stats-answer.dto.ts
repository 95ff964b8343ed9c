import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The answers of `GET /stats` and the success-rate endpoints, as the OpenAPI document
 * describes them (the console's types are generated from it).
 */
export class StatCounts {
  @ApiProperty() SUCCESS: number;
  @ApiProperty() FAILED: number;
  @ApiProperty() TIMED_OUT: number;
  @ApiProperty() REJECTED: number;
  @ApiProperty() PENDING: number;
}

/**
 * Latencies of successful deliveries, end to end, in ms. Percentiles are exact when the
 * window holds at most 10,000 transactions; above that they are interpolated within the
 * roll-up histogram's buckets (off by at most a bucket's width). Never above `max`.
 */
export class LatencySummary {
  @ApiProperty({ type: Number, nullable: true }) avg: number | null;
  @ApiProperty({ type: Number, nullable: true }) max: number | null;
  @ApiProperty({ type: Number, nullable: true }) p50: number | null;
  @ApiProperty({ type: Number, nullable: true }) p95: number | null;
  @ApiProperty({ type: Number, nullable: true }) p99: number | null;
}

/** One step of a series: the transactions published from `at` to the next step. */
export class StatPoint {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: () => StatCounts }) counts: StatCounts;
  @ApiProperty({ type: Number, nullable: true }) successRate: number | null;
  @ApiProperty({ type: () => LatencySummary }) latencyMs: LatencySummary;
}

export class Stat {
  @ApiProperty({ description: 'The group’s value: a service, system or sector code, or `hub`.' })
  group: string;

  @ApiProperty({ type: () => StatCounts }) counts: StatCounts;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'SUCCESS / (SUCCESS + FAILED + TIMED_OUT); null when nothing has completed.',
  })
  successRate: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Rejections counted too: SUCCESS / (SUCCESS + FAILED + TIMED_OUT + REJECTED).',
  })
  overallRate: number | null;

  @ApiProperty({ type: () => LatencySummary }) latencyMs: LatencySummary;

  @ApiPropertyOptional({ type: () => [StatPoint], description: 'Only when `step` is given.' })
  series?: StatPoint[];
}

export class StatsAnswer {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: ['minute', 'hour', 'day'], description: 'The roll-up table read.' })
  resolution: string;
  @ApiProperty({ enum: ['hub', 'service', 'provider', 'consumer', 'sector'] })
  groupBy: string;
  @ApiProperty({ type: () => [Stat] }) groups: Stat[];
}

/** One group's figures over a window (`GET /success-rate`, `GET /services/{code}/success-rate`). */
export class SuccessRateAnswer extends Stat {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiPropertyOptional() service?: string;
}
