import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  describeFieldErrors,
  type FieldError,
  findEventType,
  type RejectionV1,
  topicOf,
  validatePayload,
} from '@lgsp/contracts';
import { OutboxWriter, uuidv7 } from '@lgsp/messaging';
import { ApiError } from '@lgsp/platform';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/credentials.service';
import { Catalogue } from '../catalogue/catalogue.service';

export interface PublishAttempt {
  type: string;
  body: unknown;
  correlationId: string;
  /** Undefined: no key, or a key nobody issued. */
  principal: Principal | undefined;
  keyGiven: boolean;
}

export interface Published {
  eventId: string;
  type: string;
  topic: string;
  correlationId: string;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
  }
}

/**
 * The hub's door for systems that publish over HTTP. An accepted event goes to Kafka
 * through the hub's outbox under the publishing system's `ce_source`. A refused one gets a
 * 4xx with a stable code and is published as a `hub.rejection.v1` event, so that the
 * exchange log records it as a REJECTED transaction with its reason.
 */
@Injectable()
export class PublishEventUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Catalogue) private readonly catalogue: Catalogue,
  ) {}

  async execute(attempt: PublishAttempt): Promise<Published> {
    const receivedAt = new Date().toISOString();
    try {
      const system = await this.authorise(attempt);
      const def = findEventType(attempt.type)!;
      const { errors } = validatePayload(def, attempt.body);
      if (errors.length > 0) {
        throw new Refusal(
          HttpStatus.BAD_REQUEST,
          'CONTRACT.INVALID_PAYLOAD',
          describeFieldErrors(errors),
          errors,
        );
      }
      const envelope = await this.dataSource.transaction((tx) =>
        this.outbox.publish(tx, {
          type: attempt.type,
          data: attempt.body as object,
          correlationId: attempt.correlationId,
          system,
        }),
      );
      return {
        eventId: envelope.id,
        type: attempt.type,
        topic: topicOf(def),
        correlationId: attempt.correlationId,
      };
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      await this.recordRejection(attempt, e, receivedAt);
      throw new ApiError(e.status, e.code, e.message, e.details);
    }
  }

  /** Who is publishing, and may they publish this type? Returns the system code. */
  private async authorise(a: PublishAttempt): Promise<string> {
    if (!a.keyGiven)
      throw new Refusal(
        HttpStatus.UNAUTHORIZED,
        'HUB.UNAUTHENTICATED',
        'Send the system API key in X-Api-Key.',
      );
    if (!a.principal)
      throw new Refusal(
        HttpStatus.UNAUTHORIZED,
        'HUB.INVALID_CREDENTIAL',
        'The API key is unknown or revoked.',
      );
    const code = a.principal.system;
    if (a.principal.role !== 'SYSTEM' || !code) {
      throw new Refusal(
        HttpStatus.FORBIDDEN,
        'HUB.NOT_A_MEMBER_SYSTEM',
        'Only member systems publish events.',
      );
    }
    const system = await this.catalogue.system(code);
    if (system?.status !== 'ACTIVE') {
      throw new Refusal(
        HttpStatus.FORBIDDEN,
        'HUB.SYSTEM_DISABLED',
        `System ${code} is not active in the catalogue.`,
      );
    }
    if (!findEventType(a.type)) {
      throw new Refusal(
        HttpStatus.NOT_FOUND,
        'CONTRACT.UNKNOWN_EVENT_TYPE',
        `No event type ${a.type}; see /catalogue/event-types.`,
      );
    }
    const route = (await this.catalogue.routes()).get(a.type);
    if (route?.provider !== code) {
      throw new Refusal(
        HttpStatus.FORBIDDEN,
        'HUB.TYPE_NOT_GRANTED',
        `${code} is not granted to publish ${a.type}.`,
      );
    }
    return code;
  }

  private async recordRejection(a: PublishAttempt, r: Refusal, receivedAt: string): Promise<void> {
    const rejection: RejectionV1 = {
      eventId: uuidv7(),
      eventType: a.type.slice(0, 200),
      provider: a.principal?.system,
      channel: 'HTTP',
      errorCode: r.code,
      reason: r.message.slice(0, 1000),
      httpStatus: r.status,
      payloadSha256: sha256Of(a.body),
      receivedAt,
    };
    await this.dataSource.transaction((tx) =>
      this.outbox.publish(tx, {
        type: 'hub.rejection.v1',
        data: rejection,
        correlationId: a.correlationId,
      }),
    );
  }
}

function sha256Of(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}
