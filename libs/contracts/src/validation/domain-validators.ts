import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { parsePersonalId } from '../domain/personal-id';
import { provinceByCode } from '../domain/provinces';

function rule(
  name: string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  message: (args: ValidationArguments) => string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate },
    });
  };
}

/** A 12-digit personal ID number with a known province prefix and a valid sex/century digit. */
export function IsPersonalId(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isPersonalId',
    (v) => typeof v === 'string' && parsePersonalId(v) !== undefined,
    (a) =>
      `${a.property} must be a 12-digit personal ID number with a valid province and sex/century digit`,
    options,
  );
}

/** A two-digit province code from the national list. */
export function IsProvinceCode(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isProvinceCode',
    (v) => typeof v === 'string' && provinceByCode(v) !== undefined,
    (a) => `${a.property} must be a two-digit province code from the national list`,
    options,
  );
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** A calendar date (YYYY-MM-DD) that is not in the future. */
export function IsPastDate(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isPastDate',
    (v) => isCalendarDate(v) && v <= new Date().toISOString().slice(0, 10),
    (a) => `${a.property} must be a date (YYYY-MM-DD) that is not in the future`,
    options,
  );
}

/** Vietnamese text in Unicode NFC, trimmed, within sane lengths, with no control characters. */
export function IsNfcText(
  min: number,
  max: number,
  options?: ValidationOptions,
): PropertyDecorator {
  return rule(
    'isNfcText',
    (v) =>
      typeof v === 'string' &&
      v === v.normalize('NFC') &&
      v === v.trim() &&
      // eslint-disable-next-line no-control-regex
      !/[\u0000-\u001f\u007f]/.test(v) &&
      [...v].length >= min &&
      [...v].length <= max,
    (a) =>
      `${a.property} must be NFC-normalised text of ${min}–${max} characters, trimmed, without control characters`,
    options,
  );
}
