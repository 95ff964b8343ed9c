import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  type MigrationInterface,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type QueryRunner,
} from 'typeorm';

/** A message waiting to be published; written in the same transaction as the change it reports. */
@Entity('outbox')
export class OutboxEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('text')
  topic: string;

  @Column('text', { nullable: true })
  key: string | null;

  @Column('jsonb')
  headers: Record<string, string>;

  @Column('bytea', { nullable: true })
  payload: Buffer | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** An event this service has handled; makes redelivery a no-op. */
@Entity('processed_events')
export class ProcessedEvent {
  @PrimaryColumn('text')
  consumer: string;

  @PrimaryColumn('text')
  eventId: string;

  @Column('text')
  outcome: string;

  @CreateDateColumn({ type: 'timestamptz' })
  processedAt: Date;
}

/**
 * A message this service could not apply (FAILED) or accept (REJECTED), kept as it came,
 * headers and value, so that an operator's replay can run it again once the cause is fixed.
 */
@Entity('dead_letters')
@Index('IDX_dead_letters_event', ['eventId'])
export class DeadLetter {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('text')
  eventId: string;

  @Column('text')
  topic: string;

  @Column('integer')
  kafkaPartition: number;

  @Column('bigint')
  kafkaOffset: string;

  @Column('text', { nullable: true })
  key: string | null;

  @Column('jsonb')
  headers: Record<string, string>;

  @Column('bytea', { nullable: true })
  value: Buffer | null;

  @Column('text')
  status: string;

  @Column('text')
  errorCode: string;

  @Column('text')
  reason: string;

  @Column('integer')
  attempts: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  replayedAt: Date | null;
}

export const MESSAGING_ENTITIES = [OutboxEntry, ProcessedEvent, DeadLetter];

/** DDL shared by every service's first migration. */
export const MESSAGING_SCHEMA_UP = [
  `CREATE TABLE outbox (
     id bigserial PRIMARY KEY,
     topic text NOT NULL,
     key text,
     headers jsonb NOT NULL,
     payload bytea,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE FUNCTION lgsp_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN PERFORM pg_notify('lgsp_outbox', ''); RETURN NULL; END $$`,
  `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
     FOR EACH STATEMENT EXECUTE FUNCTION lgsp_outbox_notify()`,
  `CREATE TABLE processed_events (
     consumer text NOT NULL,
     event_id text NOT NULL,
     outcome text NOT NULL,
     processed_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (consumer, event_id)
   )`,
];

export const MESSAGING_SCHEMA_DOWN = [
  'DROP TABLE processed_events',
  'DROP TRIGGER outbox_notify ON outbox',
  'DROP FUNCTION lgsp_outbox_notify',
  'DROP TABLE outbox',
];

export const OUTBOX_CHANNEL = 'lgsp_outbox';

/** DDL shared by every service's second migration: dead letters kept for replay. */
export const DEAD_LETTERS_UP = [
  `CREATE TABLE dead_letters (
     id bigserial PRIMARY KEY,
     event_id text NOT NULL,
     topic text NOT NULL,
     kafka_partition integer NOT NULL,
     kafka_offset bigint NOT NULL,
     key text,
     headers jsonb NOT NULL,
     value bytea,
     status text NOT NULL,
     error_code text NOT NULL,
     reason text NOT NULL,
     attempts integer NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     replayed_at timestamptz
   )`,
  'CREATE INDEX "IDX_dead_letters_event" ON dead_letters (event_id)',
];

export const DEAD_LETTERS_DOWN = ['DROP TABLE dead_letters'];

/** Gives a service the dead-letters table: a second migration with the shared DDL. */
export function deadLettersMigration(timestamp: number) {
  return class implements MigrationInterface {
    name = `DeadLetters${timestamp}`;
    async up(q: QueryRunner): Promise<void> {
      for (const sql of DEAD_LETTERS_UP) await q.query(sql);
    }
    async down(q: QueryRunner): Promise<void> {
      for (const sql of DEAD_LETTERS_DOWN) await q.query(sql);
    }
  };
}
