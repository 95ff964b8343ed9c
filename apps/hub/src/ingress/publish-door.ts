import { HttpStatus } from '@nestjs/common';
import {
  describeFieldErrors,
  type FieldError,
  findEventType,
  validateAs,
  validatePayload,
} from '@lgsp/contracts';
import { ApiError } from '@lgsp/platform';
import {
  CREDENTIAL_REFUSALS,
  type CredentialRefusal,
  type Principal,
} from '../access/credentials.service';
import type { Catalogue } from '../catalogue/catalogue.service';
import { PublishBatchDto } from './publish-batch.dto';

/** Who knocks at the door, as the request shows it. */
export interface Caller {
  type: string;
  /** Undefined: no key, or a key refused (unknown, revoked or expired: see `refusal`). */
  principal: Principal | undefined;
  keyGiven: boolean;
  refusal?: CredentialRefusal;
}

/** A refusal at the door: answered with a 4xx and logged as a REJECTED transaction. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
  }

  toApiError(): ApiError {
    return new ApiError(this.status, this.code, this.message, this.details);
  }
}

/** Who is publishing, and may they publish this type? Returns the system code. */
export async function authorise(catalogue: Catalogue, a: Caller): Promise<string> {
  if (!a.keyGiven)
    throw new Refusal(
      HttpStatus.UNAUTHORIZED,
      'HUB.UNAUTHENTICATED',
      'Send the system API key in X-Api-Key.',
    );
  if (!a.principal) {
    const code = a.refusal ?? 'HUB.INVALID_CREDENTIAL';
    throw new Refusal(HttpStatus.UNAUTHORIZED, code, CREDENTIAL_REFUSALS[code]);
  }
  const code = a.principal.system;
  if (a.principal.role !== 'SYSTEM' || !code) {
    throw new Refusal(
      HttpStatus.FORBIDDEN,
      'HUB.NOT_A_MEMBER_SYSTEM',
      'Only member systems publish events.',
    );
  }
  const system = await catalogue.system(code);
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
  const route = (await catalogue.routes()).get(a.type);
  if (route?.provider !== code) {
    throw new Refusal(
      HttpStatus.FORBIDDEN,
      'HUB.TYPE_NOT_GRANTED',
      `${code} is not granted to publish ${a.type}.`,
    );
  }
  return code;
}

/** The payload's breaches of its contract, as a refusal; undefined when it keeps it. */
export function payloadRefusal(type: string, data: unknown): Refusal | undefined {
  const { errors } = validatePayload(findEventType(type)!, data);
  if (errors.length === 0) return undefined;
  return new Refusal(
    HttpStatus.BAD_REQUEST,
    'CONTRACT.INVALID_PAYLOAD',
    describeFieldErrors(errors),
    errors,
  );
}

/**
 * The batch's list and item wrappers, checked once the caller is known (a stranger learns
 * nothing of them): a malformed batch is a refusal of the whole, logged as the others are.
 */
export function batchOf(body: unknown): PublishBatchDto | Refusal {
  // Each payload is checked on its own against its contract, after: here only that it is an object.
  const payloads: unknown[] = [];
  const items = isObject(body) ? (body as { items?: unknown }).items : undefined;
  const wrapper = Array.isArray(items)
    ? {
        ...(body as object),
        items: items.map((item: unknown, i) => {
          const data = isObject(item) ? (item as { data?: unknown }).data : undefined;
          if (!isObject(data)) return item;
          payloads[i] = data;
          return { ...(item as object), data: {} };
        }),
      }
    : body;
  const { instance, errors } = validateAs(PublishBatchDto, wrapper, 'body');
  if (errors.length === 0) {
    instance.items.forEach((item, i) => (item.data = payloads[i] as Record<string, unknown>));
    return instance;
  }
  return new Refusal(
    HttpStatus.BAD_REQUEST,
    'REQUEST.VALIDATION_FAILED',
    'The request body is invalid; see errors for each field.',
    errors,
  );
}

const isObject = (v: unknown): v is object =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
