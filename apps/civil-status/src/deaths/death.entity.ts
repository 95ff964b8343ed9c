import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A death registration (đăng ký khai tử). A person's death is registered once. */
@Entity('deaths')
export class Death {
  @PrimaryColumn('uuid')
  id: string;

  @Column('date')
  registeredOn: string;

  @Index('IDX_deaths_deceased', { unique: true })
  @Column('char', { length: 12 })
  deceasedPersonalId: string;

  @Column('text')
  deceasedFullName: string;

  @Column('text')
  deceasedSex: string;

  @Column('date')
  deceasedDateOfBirth: string;

  @Column('date')
  dateOfDeath: string;

  @Column('text', { nullable: true })
  placeOfDeath: string | null;

  @Column('text')
  correlationId: string;

  @Column('uuid')
  eventId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
