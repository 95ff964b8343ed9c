import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One administrator action (a catalogue change, a credential issued, rotated or revoked):
 * who, when, what and on what. Written in the same database transaction as the change, so
 * no change goes unrecorded; the table refuses updates and deletes (a trigger).
 */
@Entity('admin_actions')
export class AdminAction {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index('IDX_admin_actions_at')
  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  /** The credential that acted (`configured-admin-key` for HUB_ADMIN_KEY), its role and label. */
  @Column('text')
  actorCredentialId: string;

  @Column('text')
  actorRole: string;

  @Column('text')
  actorLabel: string;

  /** e.g. `catalogue.system.disabled`, `credential.issued`. */
  @Column('text')
  action: string;

  /** What it acted on: a system, service or subscription code, a credential id. */
  @Column('text')
  target: string;

  /** The state before and after (catalogue), or what was issued (never a key nor its hash). */
  @Column('jsonb')
  details: Record<string, unknown>;

  @Column('text', { nullable: true })
  correlationId: string | null;
}
