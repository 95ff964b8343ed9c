import type { Type } from '@nestjs/common';
import type { FieldError } from '@lgsp/contracts';
import { ApiError, validationPipe } from '@lgsp/platform';

export type BodyCheck<T> =
  { valid: T } | { refusal: { code: string; message: string; errors?: FieldError[] } };

const pipe = validationPipe();

/**
 * Validates a value exactly as the service validates a request body of `metatype`: the
 * same pipe, so the same rules, the same unknown-field refusal and the same field-error
 * format as a 400. The refusal is returned rather than thrown, so that a batch can
 * answer each of its items on its own.
 */
export async function checkBody<T extends object>(
  metatype: Type<T>,
  value: unknown,
): Promise<BodyCheck<T>> {
  try {
    return { valid: (await pipe.transform(value, { type: 'body', metatype })) as T };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { refusal: { code: e.code, message: e.message, errors: e.details } };
  }
}
