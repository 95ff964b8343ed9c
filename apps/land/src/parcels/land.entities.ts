import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';

/** A land parcel: commune, map sheet and parcel number name it. */
@Entity('parcels')
@Index('IDX_parcels_key', ['communeCode', 'mapSheetNumber', 'parcelNumber'], { unique: true })
export class Parcel {
  @PrimaryColumn('uuid')
  id: string;

  @Column('char', { length: 5 })
  communeCode: string;

  @Column('integer')
  mapSheetNumber: number;

  @Column('integer')
  parcelNumber: number;

  @Column('numeric', {
    precision: 12,
    scale: 2,
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  areaM2: number;

  @Column('text')
  landUsePurpose: string;

  @Column('date')
  registeredOn: string;

  /** An owner has died: the parcel needs inheritance follow-up. */
  @Column('boolean', { default: false })
  inheritanceFlagged: boolean;

  @Column('text')
  correlationId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** An owner of a parcel, as declared; verified against the population register. */
@Entity('owners')
@Index('IDX_owners_personal_id', ['personalId'])
export class Owner {
  @PrimaryColumn('uuid')
  ownerId: string;

  @Column('uuid')
  parcelId: string;

  @ManyToOne(() => Parcel, { nullable: false })
  @JoinColumn({ name: 'parcel_id', foreignKeyConstraintName: 'owners_parcel_id_fkey' })
  parcel?: Parcel;

  @Column('char', { length: 12 })
  personalId: string;

  @Column('text')
  fullName: string;

  @Column('date')
  dateOfBirth: string;

  /** PENDING, VERIFIED or FLAGGED (the register disagrees or does not know the owner). */
  @Column('text', { default: 'PENDING' })
  verificationStatus: string;

  @Column('text', { nullable: true })
  verificationResult: string | null;

  @Column('text', { array: true, nullable: true })
  mismatchedFields: string[] | null;

  @Column('boolean', { default: false })
  deceased: boolean;
}

export const LAND_ENTITIES = [Parcel, Owner];
