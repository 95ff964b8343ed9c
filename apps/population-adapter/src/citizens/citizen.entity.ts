import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The reference copy of a citizen in the National Population Database. */
@Entity('citizens')
export class Citizen {
  @PrimaryColumn('char', { length: 12 })
  personalId: string;

  @Column('text')
  fullName: string;

  @Column('text')
  sex: string;

  @Column('date')
  dateOfBirth: string;

  @Column('text', { nullable: true })
  permanentAddress: string | null;

  @Column('text', { default: 'ALIVE' })
  status: string;

  @Column('uuid', { nullable: true, unique: true })
  birthRegistrationId: string | null;

  @Column('date', { nullable: true })
  dateOfDeath: string | null;

  /** The request (event id) that entered the birth: the same request again is a retry. */
  @Column('text', { nullable: true })
  birthRequestId: string | null;

  /** The death registration that recorded the death, and the request that did it. */
  @Column('uuid', { nullable: true })
  deathRegistrationId: string | null;

  @Column('text', { nullable: true })
  deathRequestId: string | null;

  /** Day the permanent residence was removed (on death). */
  @Column('date', { nullable: true })
  residenceRemovedOn: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  registeredAt: Date;
}

/** The last serial assigned under each six-digit ID prefix (province, sex/century, year). */
@Entity('id_serials')
export class IdSerial {
  @PrimaryColumn('char', { length: 6 })
  prefix: string;

  @Column('integer')
  lastSerial: number;
}
