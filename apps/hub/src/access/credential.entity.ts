import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const ROLES = ['SYSTEM', 'OPERATOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/**
 * An API key: a member system's (role SYSTEM) or a person's role. Only its SHA-256 is
 * kept; the key is shown once, when issued. A key may expire, and may replace another
 * (rotation: both work until the old one is revoked or expires).
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

  /** Refused from this time on (HUB.CREDENTIAL_EXPIRED); null: until revoked. */
  @Column('timestamptz', { nullable: true })
  expiresAt: Date | null;

  /** The credential this one was issued to replace, when it came from a rotation. */
  @Column('uuid', { nullable: true })
  replacesId: string | null;
}
