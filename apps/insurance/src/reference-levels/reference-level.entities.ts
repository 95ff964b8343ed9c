import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { AllowanceBaseKind } from '../participants/insurance-rules';

const bigintAsNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

/**
 * The amount the funeral allowance is based on, from the day it took effect: the base salary
 * (lương cơ sở) before 2025-07-01, the reference level (mức tham chiếu) from then on. Data, not
 * code: seeded by migration, extended by an administrator over `POST /reference-levels`.
 */
@Entity('reference_levels')
@Check(
  'CHK_reference_levels_kind',
  `(kind = 'BASE_SALARY' AND effective_from < DATE '2025-07-01') OR (kind = 'REFERENCE_LEVEL' AND effective_from >= DATE '2025-07-01')`,
)
export class ReferenceLevel {
  @PrimaryColumn('date')
  effectiveFrom: string;

  @Column('bigint', { transformer: bigintAsNumber })
  amountVnd: number;

  @Column('text')
  kind: AllowanceBaseKind;

  /** The legal text that sets the amount (e.g. "Nghị định 73/2024/NĐ-CP"). */
  @Column('text')
  source: string;
}

/**
 * One change to the table: who made it (the label of the administrator key), when, and what.
 * Append-only (a trigger refuses updates, deletes and truncation), read by auditors at
 * `GET /reference-levels/changes`.
 */
@Entity('reference_level_changes')
export class ReferenceLevelChange {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  /** The key's label (`INSURANCE_ADMIN_KEY#<fingerprint>`), or the migration that seeded a row. */
  @Column('text')
  actor: string;

  /** `reference-level.added`. */
  @Column('text')
  action: string;

  @Column('date')
  effectiveFrom: string;

  /** The row as added: amount, kind and source. */
  @Column('jsonb')
  details: Record<string, unknown>;

  @Column('text', { nullable: true })
  correlationId: string | null;
}
