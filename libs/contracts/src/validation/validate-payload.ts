import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { EventTypeDef } from '../event-types';
import { compiledValidator } from './compiled-validator';
import { shapeErrors, WHOLE_PAYLOAD } from './json-shape';

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
 * is; anything else goes through `validateAs` for its field errors.
 */
export function validatePayload<T extends object>(
  def: EventTypeDef<T>,
  data: unknown,
): { payload: T; errors: FieldError[] } {
  if (compiledValidator(def.payload)?.(data)) return { payload: data as T, errors: [] };
  const { instance, errors } = validateAs(def.payload, data, 'payload');
  return { payload: instance, errors };
}

/**
 * class-transformer and class-validator over plain data, unknown fields refused. What they
 * cannot walk — not an object, nested too deep, a reserved key — is refused first (see
 * shapeErrors), and should they fail on some other shape of input, the input is refused as
 * a whole: hostile data gets an answer, never an exception.
 */
export function validateAs<T extends object>(
  cls: new () => T,
  data: unknown,
  what: string,
): { instance: T; errors: FieldError[] } {
  const shape = shapeErrors(data, what);
  if (shape.length > 0) return { instance: data as T, errors: shape };
  try {
    const instance = plainToInstance<T, unknown>(cls, data);
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
    return { instance, errors: fieldErrors(errors) };
  } catch (e) {
    const why = `the ${what} could not be read field by field (${e instanceof Error ? e.name : 'error'})`;
    return { instance: data as T, errors: [{ field: WHOLE_PAYLOAD, messages: [why] }] };
  }
}

export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join(' | ');
}
