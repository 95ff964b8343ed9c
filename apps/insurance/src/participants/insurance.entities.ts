import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { ReferenceLevel, ReferenceLevelChange } from '../reference-levels/reference-level.entities';
import type { AllowanceBaseKind } from './insurance-rules';

/** A person known to social and health insurance (BHXH/BHYT). */
@Entity('participants')
export class Participant {
  @PrimaryColumn('char', { length: 12 })
  personalId: string;

  @Index('IDX_participants_si_number', { unique: true })
  @Column('char', { length: 10 })
  socialInsuranceNumber: string;

  @Column('text')
  fullName: string;

  @Column('date')
  dateOfBirth: string;

  @Column('boolean', { default: false })
  isPensioner: boolean;

  @Column('integer', { default: 0 })
  contributionMonths: number;

  @Column('date', { nullable: true })
  dateOfDeath: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A health-insurance (BHYT) card. */
@Entity('cards')
@Index('IDX_cards_personal_id', ['personalId'])
@Index('IDX_cards_to_link', ['cardNumber'], { where: `link_status = 'NOT_REQUESTED'` })
export class Card {
  @PrimaryColumn('char', { length: 15 })
  cardNumber: string;

  @Column('char', { length: 12 })
  personalId: string;

  @Column('char', { length: 10 })
  socialInsuranceNumber: string;

  @Column('char', { length: 2 })
  beneficiaryGroup: string;

  @Column('smallint')
  benefitLevel: number;

  @Column('date')
  validFrom: string;

  @Column('date')
  validTo: string;

  @Column('text', { default: 'ACTIVE' })
  status: string;

  @Column('date', { nullable: true })
  terminatedOn: string | null;

  /** Card–ID link: NOT_REQUESTED, REQUESTED, LINKED, MISMATCH or NOT_FOUND. */
  @Column('text', { default: 'NOT_REQUESTED' })
  linkStatus: string;

  @Column('text', { array: true, nullable: true })
  linkMismatchedFields: string[] | null;

  @Column('timestamptz', { nullable: true })
  linkUpdatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  issuedAt: Date;
}

/**
 * A funeral allowance granted: `amountVnd` = `multiplier` × `baseSalaryVnd`. `baseSalaryVnd` keeps
 * its name (the event `funeral-allowance-granted.v1` carries it so): it is the amount the
 * allowance is based on, whose kind `baseKind` and row `baseEffectiveFrom` say.
 */
@Entity('funeral_allowances')
export class FuneralAllowance {
  @PrimaryColumn('char', { length: 12 })
  personalId: string;

  @Column('date')
  dateOfDeath: string;

  @Column('text')
  entitlement: string;

  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  baseSalaryVnd: number;

  /** BASE_SALARY (lương cơ sở, the 2014 law) or REFERENCE_LEVEL (mức tham chiếu, the 2024 law). */
  @Column('text')
  baseKind: AllowanceBaseKind;

  /** The day the row of `reference_levels` used took effect. */
  @Column('date')
  baseEffectiveFrom: string;

  @Column('integer')
  multiplier: number;

  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  amountVnd: number;

  @Column('date')
  grantedOn: string;
}

/** The last serial of social-insurance numbers issued under each province code. */
@Entity('si_serials')
export class SiSerial {
  @PrimaryColumn('char', { length: 2 })
  provinceCode: string;

  @Column('integer')
  lastSerial: number;
}

export const INSURANCE_ENTITIES = [
  Participant,
  Card,
  ReferenceLevel,
  ReferenceLevelChange,
  FuneralAllowance,
  SiSerial,
];
