import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { EventTypeDef } from '../event-types';

export interface FieldError {
  field: string;
  messages: string[];
}

export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/** Turns plain data into the contract's payload class and validates it; unknown fields are refused. */
export function validatePayload<T extends object>(
  def: EventTypeDef<T>,
  data: unknown,
): { payload: T; errors: FieldError[] } {
  const payload = plainToInstance<T, unknown>(def.payload, data);
  const errors = validateSync(payload, { whitelist: true, forbidNonWhitelisted: true });
  return { payload, errors: fieldErrors(errors) };
}

export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join(' | ');
}
