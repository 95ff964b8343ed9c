import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Every audit query, export and verification: who, when, which filter (a citizen ID only as its hash). */
@Entity('audit_queries')
export class AuditQuery {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  credentialId: string;

  @Column('text')
  role: string;

  @Column('text')
  action: string;

  @Column('jsonb')
  filter: Record<string, unknown>;

  @Column('integer', { nullable: true })
  rowCount: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
