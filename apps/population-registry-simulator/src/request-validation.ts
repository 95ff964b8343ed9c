import { isCalendarDate, provinceByIdPrefix } from '@lgsp/contracts';
import type { DeathItem, IdentityCheckItem, NewbornItem, SimulatedCitizen } from './register';

/** One field of a request item: a test and what the contract expects, for the 400 message. */
interface Field {
  test: (v: unknown) => boolean;
  expected: string;
  optional?: boolean;
}
type Shape<T> = { [K in keyof T]-?: Field };

const MAX_ITEMS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isString = (v: unknown): v is string => typeof v === 'string';
const personalId: Field = {
  test: (v) => isString(v) && /^[0-9]{12}$/.test(v),
  expected: 'a 12-digit personal ID',
};
const name: Field = {
  test: (v) => isString(v) && [...v].length >= 1 && [...v].length <= 200,
  expected: 'a name of 1 to 200 characters',
};
const date: Field = { test: isCalendarDate, expected: 'a date YYYY-MM-DD' };
const sex: Field = { test: (v) => v === 'MALE' || v === 'FEMALE', expected: 'MALE or FEMALE' };
const uuid: Field = { test: (v) => isString(v) && UUID.test(v), expected: 'a UUID' };
const optional = (f: Field): Field => ({ ...f, optional: true });
const requestId: Field = {
  test: (v) => isString(v) && v.length >= 1 && v.length <= 100,
  expected: 'a request id of 1 to 100 characters',
};

/** A personal ID can only be formed for a known province and a year of birth in 1900–2199. */
const newbornDate: Field = {
  test: (v) => isCalendarDate(v) && v >= '1900-01-01' && v < '2200-01-01',
  expected: 'a date YYYY-MM-DD in 1900–2199',
};
const provinceCode: Field = {
  test: (v) => isString(v) && /^[0-9]{3}$/.test(v) && provinceByIdPrefix(v) !== undefined,
  expected: 'a known 3-digit province code',
};

const IDENTITY_CHECK: Shape<IdentityCheckItem> = { personalId, fullName: name, dateOfBirth: date };
const NEWBORN: Shape<NewbornItem> = {
  requestId,
  birthRegistrationId: uuid,
  fullName: name,
  sex,
  dateOfBirth: newbornDate,
  provinceCode,
  motherId: optional(personalId),
  fatherId: optional(personalId),
};
const DEATH: Shape<DeathItem> = {
  requestId,
  deathRegistrationId: uuid,
  personalId,
  fullName: name,
  dateOfBirth: date,
  dateOfDeath: date,
};
const CITIZEN: Shape<SimulatedCitizen> = {
  personalId,
  fullName: name,
  sex,
  dateOfBirth: date,
  permanentAddress: optional({ test: (v) => v === null || isString(v), expected: 'text or null' }),
  status: optional({ test: (v) => v === 'ALIVE' || v === 'DECEASED', expected: 'ALIVE/DECEASED' }),
};

/** Either the checked value or why it does not match the contract. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first problem with an object against a shape (no extra properties allowed). */
function problemWith<T>(v: unknown, shape: Shape<T>, where: string): string | undefined {
  if (!isRecord(v)) return `${where} must be an object`;
  const fields = shape as Record<string, Field>;
  for (const key of Object.keys(v)) {
    if (!(key in fields)) return `${where}.${key} is not a property of the contract`;
  }
  for (const [key, field] of Object.entries(fields)) {
    if (v[key] === undefined && field.optional) continue;
    if (!field.test(v[key])) return `${where}.${key} must be ${field.expected}`;
  }
  return undefined;
}

function checkItems<T>(list: unknown, shape: Shape<T>, where: string, min = 1): Checked<T[]> {
  if (!Array.isArray(list) || list.length < min || list.length > MAX_ITEMS) {
    return { ok: false, problem: `${where} must be an array of ${min} to ${MAX_ITEMS} items` };
  }
  for (const [i, item] of list.entries()) {
    const problem = problemWith(item, shape, `${where}[${i}]`);
    if (problem) return { ok: false, problem };
  }
  return { ok: true, value: list as T[] };
}

/** A batch body `{ items: [...] }` of the given item shape. */
function checkBatch<T>(body: unknown, shape: Shape<T>): Checked<T[]> {
  if (!isRecord(body)) return { ok: false, problem: 'the body must be an object { items }' };
  const extra = Object.keys(body).find((k) => k !== 'items');
  if (extra) return { ok: false, problem: `${extra} is not a property of the contract` };
  return checkItems(body.items, shape, 'items');
}

export const checkIdentityChecks = (body: unknown) => checkBatch(body, IDENTITY_CHECK);
export const checkNewborns = (body: unknown) => checkBatch(body, NEWBORN);
export const checkDeaths = (body: unknown) => checkBatch(body, DEATH);
export const checkCitizens = (body: unknown) => checkItems(body, CITIZEN, 'citizens', 0);
export const isPersonalId = (v: string): boolean => personalId.test(v);
