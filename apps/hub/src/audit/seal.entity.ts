import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A stored seal; its leaf hashes are packed 32 bytes each. */
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

  @CreateDateColumn({ type: 'timestamptz' })
  sealedAt: Date;
}
