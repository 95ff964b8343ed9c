import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A member system connected to the hub. */
@Entity('member_systems')
export class MemberSystem {
  @PrimaryColumn('text')
  code: string;

  @Column('text')
  name: string;

  @Column('text')
  sector: string;

  @Column('char', { length: 2 })
  province: string;

  @Column('text')
  status: string;
}

/** A data-sharing service: one event type, provided by one system. */
@Entity('services')
export class CatalogueService {
  @PrimaryColumn('text')
  code: string;

  @Column('text')
  nameVi: string;

  @Column('text')
  nameEn: string;

  @Column('text', { unique: true })
  eventType: string;

  @Column('text')
  provider: string;
}

/** A consuming system's entitlement to a service, with its purpose or legal basis. */
@Entity('subscriptions')
export class Subscription {
  @PrimaryColumn('text')
  consumer: string;

  @PrimaryColumn('text')
  service: string;

  @Column('text')
  purpose: string;

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
