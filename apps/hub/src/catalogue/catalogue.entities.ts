import { ApiProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A member system connected to the hub. */
@Entity('member_systems')
export class MemberSystem {
  @ApiProperty()
  @PrimaryColumn('text')
  code: string;

  @ApiProperty()
  @Column('text')
  name: string;

  @ApiProperty()
  @Column('text')
  sector: string;

  @ApiProperty({ description: 'The 2-digit province code.' })
  @Column('char', { length: 2 })
  province: string;

  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] })
  @Column('text')
  status: string;
}

/** A data-sharing service: one event type, provided by one system. */
@Entity('services')
export class CatalogueService {
  @ApiProperty()
  @PrimaryColumn('text')
  code: string;

  @ApiProperty()
  @Column('text')
  nameVi: string;

  @ApiProperty()
  @Column('text')
  nameEn: string;

  @ApiProperty()
  @Column('text', { unique: true })
  eventType: string;

  @ApiProperty()
  @Column('text')
  provider: string;
}

/**
 * A consuming system's entitlement to a service: what it receives the data for (purpose)
 * and the law that allows it (legal basis).
 */
@Entity('subscriptions')
export class Subscription {
  @ApiProperty()
  @PrimaryColumn('text')
  consumer: string;

  @ApiProperty()
  @PrimaryColumn('text')
  service: string;

  @ApiProperty()
  @Column('text')
  purpose: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The law, decree or decision that entitles the consumer; null when not stated.',
  })
  @Column('text', { nullable: true })
  legalBasis: string | null;

  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] })
  @Column('text')
  status: string;
}

/** Versions of the catalogue file that have been applied, so a restart does not undo the administrator. */
@Entity('catalogue_versions')
export class CatalogueVersion {
  @PrimaryColumn('integer')
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  appliedAt: Date;
}
