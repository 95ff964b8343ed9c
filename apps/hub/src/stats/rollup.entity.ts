import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Counts of transactions by time unit × service × provider × consumer (kept by a trigger on transactions). */
abstract class RollupColumns {
  /** The start of the minute, hour or day. */
  @PrimaryColumn('timestamptz')
  minute: Date;

  @PrimaryColumn('text')
  serviceCode: string;

  @PrimaryColumn('text')
  provider: string;

  @PrimaryColumn('text')
  consumer: string;

  @Column('integer', { default: 0 }) pending: number;
  @Column('integer', { default: 0 }) success: number;
  @Column('integer', { default: 0 }) failed: number;
  @Column('integer', { default: 0 }) rejected: number;
  @Column('integer', { default: 0 }) timedOut: number;
  @Column('bigint', { default: 0 }) latencySumMs: string;
  @Column('integer', { default: 0 }) latencyMaxMs: number;
  @Column('integer', { array: true, default: () => "'{0,0,0,0,0,0,0,0,0,0,0,0,0,0}'" })
  latencyHistogram: number[];
}

@Entity('rollups_minute')
export class RollupMinute extends RollupColumns {}

@Entity('rollups_hour')
export class RollupHour extends RollupColumns {}

@Entity('rollups_day')
export class RollupDay extends RollupColumns {}

export const ROLLUP_ENTITIES = [RollupMinute, RollupHour, RollupDay];
