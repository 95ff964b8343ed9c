import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

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

export const MESSAGING_ENTITIES = [OutboxEntry, ProcessedEvent];

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
