import { Inject, Injectable } from '@nestjs/common';
import { findEventType, nestingDepthExceeds, type RejectionV1, topicOf } from '@lgsp/contracts';
import { OutboxWriter, type RawOutboxMessage, uuidv7 } from '@lgsp/messaging';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Catalogue } from '../catalogue/catalogue.service';
import { scrubbed, StoredValues } from '../privacy/stored-values';
import type { PublishedBatch, RefusedEvent } from './publish-batch.dto';
import { authorise, batchOf, type Caller, payloadRefusal, Refusal } from './publish-door';

export interface PublishAttempt extends Caller {
  /** The payload; for a batch, the whole request body (logged if the batch is refused). */
  body: unknown;
  correlationId: string;
}

export interface Published {
  eventId: string;
  type: string;
  topic: string;
  correlationId: string;
}

/**
 * The hub's door for systems that publish over HTTP, one event or a batch. An accepted
 * event goes to Kafka through the hub's outbox under the publishing system's `ce_source`.
 * A refused one gets a 4xx with a stable code (in a batch: its own result) and is published
 * as a `hub.rejection.v1` event, so that the exchange log records it as a REJECTED
 * transaction with its reason. What the hub publishes carries no run of nine digits or more
 * from the caller: a correlation id holding one travels as its derived id (an accepted
 * event's answer gives it), and a rejection's claimed type and reason are scrubbed.
 */
@Injectable()
export class PublishEventUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Catalogue) private readonly catalogue: Catalogue,
    @Inject(StoredValues) private readonly values: StoredValues,
  ) {}

  async execute(given: PublishAttempt): Promise<Published> {
    const attempt = { ...given, correlationId: this.values.carriedId(given.correlationId) };
    const receivedAt = new Date().toISOString();
    const system = await this.admit(attempt, receivedAt);
    const refusal = payloadRefusal(attempt.type, attempt.body);
    if (refusal) {
      await this.write([this.rejection(attempt, refusal, receivedAt)]);
      throw refusal.toApiError();
    }
    const { published, message } = this.accept(attempt, system, attempt.body as object);
    await this.write([message]);
    return published;
  }

  /**
   * Publishes each item of a batch whose payload keeps its contract, and refuses the others
   * one by one, as `execute` would: accepted events and rejections go to the outbox in one
   * statement. The caller is authorised once, for the whole batch; then the list and the
   * items' wrappers are checked, and a malformed batch is refused and logged as a whole.
   */
  async executeBatch(given: PublishAttempt): Promise<PublishedBatch> {
    const attempt = { ...given, correlationId: this.values.carriedId(given.correlationId) };
    const receivedAt = new Date().toISOString();
    const system = await this.admit(attempt, receivedAt);
    const batch = batchOf(attempt.body);
    if (batch instanceof Refusal) {
      await this.write([this.rejection(attempt, batch, receivedAt)]);
      throw batch.toApiError();
    }
    const messages: RawOutboxMessage[] = [];
    const results = batch.items.map((item, index) => {
      // Each item is its own case unless the caller names one.
      const caseId = item.correlationId ? this.values.carriedId(item.correlationId) : uuidv7();
      const one = { ...attempt, body: item.data, correlationId: caseId };
      const refusal = payloadRefusal(attempt.type, item.data);
      if (refusal) {
        messages.push(this.rejection(one, refusal, receivedAt));
        return refused(index, one.correlationId, refusal);
      }
      const { published, message } = this.accept(one, system, item.data);
      messages.push(message);
      const { eventId, correlationId, topic } = published;
      return { index, status: 'ACCEPTED' as const, eventId, correlationId, topic };
    });
    await this.write(messages);
    const accepted = results.filter((r) => r.status === 'ACCEPTED').length;
    return { accepted, refused: results.length - accepted, results };
  }

  /** The publishing system; an unauthorised caller is refused, and the refusal logged. */
  private async admit(attempt: PublishAttempt, receivedAt: string): Promise<string> {
    try {
      return await authorise(this.catalogue, attempt);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      await this.write([this.rejection(attempt, e, receivedAt)]);
      throw e.toApiError();
    }
  }

  private accept(
    a: PublishAttempt,
    system: string,
    data: object,
  ): { published: Published; message: RawOutboxMessage } {
    const { envelope, message } = this.outbox.build({
      type: a.type,
      data,
      correlationId: a.correlationId,
      system,
    });
    const topic = topicOf(findEventType(a.type)!);
    return {
      published: { eventId: envelope.id, type: a.type, topic, correlationId: a.correlationId },
      message,
    };
  }

  private rejection(a: PublishAttempt, r: Refusal, receivedAt: string): RawOutboxMessage {
    const rejection: RejectionV1 = {
      eventId: uuidv7(),
      // A claimed type may be nothing once scrubbed (a NUL alone): then the rejection names none.
      eventType: scrubbed(a.type).slice(0, 200) || undefined,
      provider: a.principal?.system,
      channel: 'HTTP',
      errorCode: r.code,
      reason: scrubbed(r.message).slice(0, 1000),
      httpStatus: r.status,
      payloadSha256: sha256Of(a.body),
      receivedAt,
    };
    return this.outbox.build({
      type: 'hub.rejection.v1',
      data: rejection,
      correlationId: a.correlationId,
    }).message;
  }

  private write(messages: RawOutboxMessage[]): Promise<void> {
    return this.dataSource.transaction((tx) => this.outbox.enqueue(tx, messages));
  }
}

function refused(index: number, correlationId: string, r: Refusal): RefusedEvent {
  return {
    index,
    status: 'REFUSED',
    code: r.code,
    message: r.message,
    errors: r.details,
    correlationId,
  };
}

/** The SHA-256 of the body as JSON; none for a body too deep to serialise (refused anyway). */
function sha256Of(body: unknown): string | undefined {
  if (body === undefined || nestingDepthExceeds(body)) return undefined;
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}
