import { BATCH_INDEX_SCHEMA, FIELD_ERRORS_SCHEMA } from '@lgsp/platform';
import type { FieldError } from '@lgsp/contracts';
import type { SchemaObject } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** Large enough for a sync page; small enough for one short transaction. */
export const EVENT_BATCH_MAX_ITEMS = 1000;

/** The rule the X-Correlation-Id header follows on the single door. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** One event of a batch: its payload, and the case it belongs to when the caller knows it. */
export class BatchEventDto {
  @IsObject()
  @JSONSchema({
    description: "The event's payload; see GET /catalogue/event-types/{type}/schema.",
  })
  data: Record<string, unknown>;

  /** Given: the event continues that case. Left out: the event opens a case of its own. */
  @IsOptional()
  @Matches(CORRELATION_ID, { message: 'correlationId may hold only A-Z a-z 0-9 . _ : - (1–100)' })
  correlationId?: string;
}

/**
 * Events of one type in bulk. The list and each item's wrapper are checked as a whole
 * (a malformed batch is a caller's mistake, refused with 400); each payload is then
 * checked against its contract on its own, as the single door checks a body.
 */
export class PublishBatchDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_BATCH_MAX_ITEMS, {
    message: `items must hold at most ${EVENT_BATCH_MAX_ITEMS} events; split the batch`,
  })
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BatchEventDto)
  items: BatchEventDto[];
}

export interface AcceptedEvent {
  index: number;
  status: 'ACCEPTED';
  eventId: string;
  correlationId: string;
  topic: string;
}

/** Refused as the single door refuses a payload, and logged under its correlation id. */
export interface RefusedEvent {
  index: number;
  status: 'REFUSED';
  code: string;
  message: string;
  errors?: FieldError[];
  correlationId: string;
}

export interface PublishedBatch {
  accepted: number;
  refused: number;
  /** One per item, in the order of the items. */
  results: (AcceptedEvent | RefusedEvent)[];
}

const count = BATCH_INDEX_SCHEMA;
const text = { type: 'string' } satisfies SchemaObject;

/** The 200 answer, for the OpenAPI document. */
export const PUBLISHED_BATCH_RESPONSE: SchemaObject = {
  type: 'object',
  required: ['accepted', 'refused', 'results'],
  properties: {
    accepted: count,
    refused: count,
    results: {
      type: 'array',
      description: 'One per item, in the order of the items.',
      items: {
        oneOf: [
          {
            type: 'object',
            required: ['index', 'status', 'eventId', 'correlationId', 'topic'],
            properties: {
              index: count,
              status: { type: 'string', enum: ['ACCEPTED'] },
              eventId: { type: 'string', format: 'uuid' },
              correlationId: text,
              topic: text,
            },
          },
          {
            type: 'object',
            required: ['index', 'status', 'code', 'message', 'correlationId'],
            properties: {
              index: count,
              status: { type: 'string', enum: ['REFUSED'] },
              code: { ...text, example: 'CONTRACT.INVALID_PAYLOAD' },
              message: text,
              errors: FIELD_ERRORS_SCHEMA,
              correlationId: text,
            },
          },
        ],
      },
    },
  },
};
