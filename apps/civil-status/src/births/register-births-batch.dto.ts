import { BATCH_INDEX_SCHEMA, FIELD_ERRORS_SCHEMA } from '@lgsp/platform';
import type { FieldError } from '@lgsp/contracts';
import type { SchemaObject } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import type { BirthRegistrationResult } from './register-birth.dto';

/** Large enough for a registrar's day or a sync page; small enough for one short transaction. */
export const BIRTH_BATCH_MAX_ITEMS = 1000;

/**
 * What a sectoral system submits in bulk. Each item is the body of `POST /births` and is
 * validated on its own, so the list itself only has to be a list of the right length.
 */
export class RegisterBirthsBatchDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BIRTH_BATCH_MAX_ITEMS, {
    message: `items must hold at most ${BIRTH_BATCH_MAX_ITEMS} births; split the batch`,
  })
  @JSONSchema((s, o) => ({ ...s, items: { $ref: `${o.refPointerPrefix}RegisterBirthDto` } }))
  items: unknown[];
}

export type BirthBatchStatus = 'CREATED' | 'EXISTING' | 'REFUSED';

export type RegisteredItem = {
  index: number;
  status: 'CREATED' | 'EXISTING';
} & BirthRegistrationResult;

/** An item refused as `POST /births` would refuse it as a body: the same code and field errors. */
export interface RefusedItem {
  index: number;
  status: 'REFUSED';
  code: string;
  message: string;
  errors?: FieldError[];
}

export type BirthBatchItemResult = RegisteredItem | RefusedItem;

export interface BirthBatchResult {
  created: number;
  existing: number;
  refused: number;
  /** One per item, in the order of the items. */
  results: BirthBatchItemResult[];
}

const count = BATCH_INDEX_SCHEMA;
const text = { type: 'string' } satisfies SchemaObject;

/** The 200 answer, for the OpenAPI document. */
export const BIRTH_BATCH_RESPONSE: SchemaObject = {
  type: 'object',
  required: ['created', 'existing', 'refused', 'results'],
  properties: {
    created: count,
    existing: count,
    refused: count,
    results: {
      type: 'array',
      description: 'One per item, in the order of the items.',
      items: {
        oneOf: [
          {
            type: 'object',
            required: ['index', 'status', 'registrationId', 'eventId', 'correlationId'],
            properties: {
              index: count,
              status: { type: 'string', enum: ['CREATED', 'EXISTING'] },
              registrationId: { type: 'string', format: 'uuid' },
              eventId: { type: 'string', format: 'uuid' },
              correlationId: text,
              childPersonalId: { type: 'string', nullable: true },
            },
          },
          {
            type: 'object',
            required: ['index', 'status', 'code', 'message'],
            properties: {
              index: count,
              status: { type: 'string', enum: ['REFUSED'] },
              code: { ...text, example: 'REQUEST.VALIDATION_FAILED' },
              message: text,
              errors: FIELD_ERRORS_SCHEMA,
            },
          },
        ],
      },
    },
  },
};
