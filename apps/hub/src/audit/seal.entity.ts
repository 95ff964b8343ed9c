import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A stored seal; its leaf hashes are packed 32 bytes each, its signature is raw bytes. */
@Entity('seals')
export class SealRow {
  @PrimaryColumn('integer')
  sequence: number;

  @Column('bigint')
  firstEntryId: string;

  @Index('IDX_seals_last_entry', { unique: true })
  @Column('bigint')
  lastEntryId: string;

  @Column('integer')
  entryCount: number;

  @Column('bigint', { array: true })
  entryIds: string[];

  @Column('bytea')
  leafHashes: Buffer;

  @Column('char', { length: 64 })
  merkleRoot: string;

  @Column('char', { length: 64 })
  previousSealHash: string;

  @Column('char', { length: 64 })
  sealHash: string;

  /** Id of the key that signed sealHash; null on seals made before signing existed. */
  @Column('text', { nullable: true })
  keyId: string | null;

  /** The 64-byte Ed25519 signature of sealHash (see seal-signature.ts). */
  @Column('bytea', { nullable: true })
  signature: Buffer | null;

  @CreateDateColumn({ type: 'timestamptz' })
  sealedAt: Date;
}
