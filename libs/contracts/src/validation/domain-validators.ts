import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import {
  BENEFICIARY_GROUPS,
  parseBhytCardNumber,
  SOCIAL_INSURANCE_NUMBER,
} from '../domain/bhyt-card';
import { parsePersonalId, type Sex } from '../domain/personal-id';
import { PROVINCES, provinceByCode } from '../domain/provinces';

type Schema = Record<string, unknown>;

/**
 * How each domain rule appears in the generated JSON Schema. A rule JSON Schema cannot
 * express (a date not in the future, NFC, agreement between fields) is named in the
 * schema's `x-lgsp-rules` and enforced by the hub and every consumer.
 */
export const RULE_SCHEMAS = new Map<string, (constraints: unknown[]) => Schema>();
export const SERVER_ONLY_RULES = new Map<string, (constraints: unknown[]) => string>();
/** Schema rules about a whole class (which fields are required together), by class name. */
export const CLASS_SCHEMAS = new Map<string, Schema>();

/** States a rule between a class's fields for its JSON Schema; class-validator states it on the fields. */
export function ClassSchema(fragment: Schema): ClassDecorator {
  return (target) => {
    CLASS_SCHEMAS.set(target.name, fragment);
  };
}

function rule(
  name: string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  message: (args: ValidationArguments) => string,
  options: ValidationOptions | undefined,
  constraints: unknown[] = [],
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      constraints,
      options: { message, ...options },
      validator: { validate },
    });
  };
}

const PERSONAL_ID_PATTERN = `^0(${PROVINCES.map((p) => p.code).join('|')})[0-5][0-9]{8}$`;
RULE_SCHEMAS.set('isPersonalId', () => ({ type: 'string', pattern: PERSONAL_ID_PATTERN }));

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

RULE_SCHEMAS.set('isProvinceCode', () => ({ type: 'string', enum: PROVINCES.map((p) => p.code) }));

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

/** A calendar date (YYYY-MM-DD, proleptic Gregorian), checked by arithmetic: it runs on every date of every record. */
export function isCalendarDate(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return false;
  const year = Number(v.slice(0, 4));
  const month = Number(v.slice(5, 7));
  const day = Number(v.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

RULE_SCHEMAS.set('isPastDate', () => ({ type: 'string', format: 'date' }));
SERVER_ONLY_RULES.set('isPastDate', () => 'is not in the future');

/** A calendar date (YYYY-MM-DD) that is not in the future. */
export function IsPastDate(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isPastDate',
    (v) => isCalendarDate(v) && v <= today(),
    (a) => `${a.property} must be a date (YYYY-MM-DD) that is not in the future`,
    options,
  );
}

RULE_SCHEMAS.set('isCalendarDate', () => ({ type: 'string', format: 'date' }));

/** A calendar date (YYYY-MM-DD), past or future (a card's expiry). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isCalendarDate',
    (v) => isCalendarDate(v),
    (a) => `${a.property} must be a date (YYYY-MM-DD)`,
    options,
  );
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
RULE_SCHEMAS.set('isNfcText', ([min, max]) => ({
  type: 'string',
  minLength: min,
  maxLength: max,
  pattern: '^(?=[^\\u0000-\\u001f\\u007f]*$)\\S(?:.*\\S)?$',
}));
SERVER_ONLY_RULES.set('isNfcText', () => 'is in Unicode NFC');

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
      !CONTROL.test(v) &&
      [...v].length >= min &&
      [...v].length <= max,
    (a) =>
      `${a.property} must be NFC-normalised text of ${min}–${max} characters, trimmed, without control characters`,
    options,
    [min, max],
  );
}

RULE_SCHEMAS.set('isBhytCardNumber', () => ({
  type: 'string',
  pattern: `^(${BENEFICIARY_GROUPS.join('|')})[1-5](${PROVINCES.map((p) => p.code).join('|')})[0-9]{10}$`,
}));

/** A 15-character BHYT card number: group, benefit level, province code, social-insurance number. */
export function IsBhytCardNumber(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isBhytCardNumber',
    (v) => typeof v === 'string' && parseBhytCardNumber(v) !== undefined,
    (a) =>
      `${a.property} must be a BHYT card number: group (2 letters), benefit level 1–5, province code, 10-digit social-insurance number`,
    options,
  );
}

RULE_SCHEMAS.set('isSocialInsuranceNumber', () => ({
  type: 'string',
  pattern: SOCIAL_INSURANCE_NUMBER.source,
}));

export function IsSocialInsuranceNumber(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isSocialInsuranceNumber',
    (v) => typeof v === 'string' && SOCIAL_INSURANCE_NUMBER.test(v),
    (a) => `${a.property} must be a 10-digit social-insurance number`,
    options,
  );
}

RULE_SCHEMAS.set('isVndAmount', () => ({
  type: 'integer',
  minimum: 0,
  maximum: 1_000_000_000_000,
}));

/** An amount of money in whole đồng. */
export function IsVndAmount(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isVndAmount',
    (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 1_000_000_000_000,
    (a) => `${a.property} must be a whole number of VND between 0 and 10^12`,
    options,
  );
}

// Rules between fields: enforced by the server, named in the schema.
SERVER_ONLY_RULES.set('agreesWithPersonalId', (constraints) => {
  const [idField, sexField] = constraints as [string, string | undefined];
  const fields = sexField ? `${idField} and ${sexField}` : idField;
  return `agrees with ${fields} (the ID encodes sex and year of birth)`;
});
SERVER_ONLY_RULES.set('isOnOrAfter', ([field]) => `is on or after ${String(field)}`);

/**
 * On a date of birth: the personal ID in `idField` encodes the same year and century,
 * and (when `sexField` is given) the same sex.
 */
export function AgreesWithPersonalId(
  idField: string,
  sexField?: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return rule(
    'agreesWithPersonalId',
    (v, a) => {
      const o = a.object as Record<string, unknown>;
      const parts = typeof o[idField] === 'string' ? parsePersonalId(o[idField]) : undefined;
      if (!parts || !isCalendarDate(v)) return true; // the fields' own rules report those
      const sexAgrees = !sexField || parts.sex === (o[sexField] as Sex);
      return parts.yearOfBirth === Number(v.slice(0, 4)) && sexAgrees;
    },
    (a) => `${a.property} must agree with ${idField}: its digits encode sex and year of birth`,
    options,
    [idField, sexField],
  );
}

SERVER_ONLY_RULES.set(
  'isSexOfPersonalId',
  ([idField]) => `agrees with ${String(idField)} (the ID encodes sex)`,
);

/** On a sex: the personal ID in `idField` encodes the same sex. */
export function IsSexOfPersonalId(idField: string, options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isSexOfPersonalId',
    (v, a) => {
      const id = (a.object as Record<string, unknown>)[idField];
      const parts = typeof id === 'string' ? parsePersonalId(id) : undefined;
      if (!parts || (v !== 'MALE' && v !== 'FEMALE')) return true; // their own rules report those
      return parts.sex === v;
    },
    (a) => `${a.property} must agree with ${idField}: its digits encode the sex`,
    options,
    [idField],
  );
}

/** A date on or after another date field of the same object (a death after the birth). */
export function IsOnOrAfter(field: string, options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isOnOrAfter',
    (v, a) => {
      const other = (a.object as Record<string, unknown>)[field];
      return !isCalendarDate(v) || !isCalendarDate(other) || v >= other;
    },
    (a) => `${a.property} must not be before ${field}`,
    options,
    [field],
  );
}

SERVER_ONLY_RULES.set('isProductOf', ([a, b]) => `equals ${String(a)} × ${String(b)}`);

/** An amount equal to `a × b`, two numeric fields of the same object (10 × the base salary). */
export function IsProductOf(a: string, b: string, options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isProductOf',
    (v, args) => {
      const o = args.object as Record<string, unknown>;
      return typeof o[a] !== 'number' || typeof o[b] !== 'number' || v === o[a] * o[b];
    },
    (args) => `${args.property} must equal ${a} × ${b}`,
    options,
    [a, b],
  );
}
