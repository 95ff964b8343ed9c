import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A birth registration (đăng ký khai sinh), as kept by the civil-status system. */
@Entity('births')
export class Birth {
  @PrimaryColumn('uuid')
  id: string;

  @Column('date')
  registeredOn: string;

  @Column('char', { length: 2 })
  registrationProvinceCode: string;

  @Column('text')
  childFullName: string;

  @Column('text')
  childSex: string;

  @Column('date')
  childDateOfBirth: string;

  @Column('text', { nullable: true })
  placeOfBirth: string | null;

  @Column('char', { length: 12, nullable: true })
  motherPersonalId: string | null;

  @Column('text', { nullable: true })
  motherFullName: string | null;

  @Column('char', { length: 12, nullable: true })
  fatherPersonalId: string | null;

  @Column('text', { nullable: true })
  fatherFullName: string | null;

  /** Assigned by the population registry and attached when `citizen-registered` arrives. */
  @Column('char', { length: 12, nullable: true })
  childPersonalId: string | null;

  /** SHA-256 of the child and parents as submitted: the same birth registered twice is one registration. */
  @Index('IDX_births_natural_key', { unique: true })
  @Column('char', { length: 64 })
  naturalKey: string;

  @Column('text')
  correlationId: string;

  @Column('uuid')
  eventId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
