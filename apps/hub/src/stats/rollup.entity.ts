import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-minute counts of transactions by service × provider × consumer (kept by a trigger). */
@Entity('rollups')
export class Rollup {
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
