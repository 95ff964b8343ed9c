import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const ROLES = ['SYSTEM', 'OPERATOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/**
 * An API key: a member system's (role SYSTEM) or a person's role. Only its SHA-256 is
 * kept; the key is shown once, when issued.
 */
@Entity('credentials')
export class Credential {
  @PrimaryColumn('uuid')
  id: string;

  @Index('IDX_credentials_key', { unique: true })
  @Column('char', { length: 64 })
  keySha256: string;

  @Column('text')
  role: Role;

  /** The member system a SYSTEM key belongs to. */
  @Column('text', { nullable: true })
  systemCode: string | null;

  @Column('text')
  label: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
