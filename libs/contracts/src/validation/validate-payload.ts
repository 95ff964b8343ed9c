import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { EventTypeDef } from '../event-types';
import { compiledValidator } from './compiled-validator';

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

/**
 * Validates plain data against the contract's payload class; unknown fields are refused.
 * Valid data — the usual case — is accepted by the class's compiled form and returned as it
 * is; anything else goes through class-transformer and class-validator for its field errors.
 */
export function validatePayload<T extends object>(
  def: EventTypeDef<T>,
  data: unknown,
): { payload: T; errors: FieldError[] } {
  if (compiledValidator(def.payload)?.(data)) return { payload: data as T, errors: [] };
  const payload = plainToInstance<T, unknown>(def.payload, data);
  const errors = validateSync(payload, { whitelist: true, forbidNonWhitelisted: true });
  return { payload, errors: fieldErrors(errors) };
}

export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join(' | ');
}
