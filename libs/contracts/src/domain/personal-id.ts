import { provinceByCode, provinceByIdPrefix } from './provinces';

export type Sex = 'MALE' | 'FEMALE';

/**
 * The 12-digit personal ID number (số định danh cá nhân):
 * 3 digits province of birth registration, 1 digit sex and century of birth,
 * 2 digits year of birth, 6 digits assigned.
 */
export interface PersonalIdParts {
  provinceCode: string;
  sex: Sex;
  yearOfBirth: number;
  serial: string;
}

const FIRST_CENTURY = 1900;
const LAST_CENTURY = 2100;

/** The sex/century digit: 0/1 for 1900–1999, 2/3 for 2000–2099, 4/5 for 2100–2199. */
export function sexCenturyDigit(sex: Sex, yearOfBirth: number): number {
  const century = Math.floor(yearOfBirth / 100) * 100;
  if (century < FIRST_CENTURY || century > LAST_CENTURY) {
    throw new RangeError(`year of birth ${yearOfBirth} is outside 1900–2199`);
  }
  return ((century - FIRST_CENTURY) / 100) * 2 + (sex === 'FEMALE' ? 1 : 0);
}

/** The six-digit prefix every ID for this province, sex and year starts with. */
export function personalIdPrefix(provinceCode: string, sex: Sex, yearOfBirth: number): string {
  const province = provinceByCode(provinceCode);
  if (!province) throw new RangeError(`unknown province code ${provinceCode}`);
  const yy = String(yearOfBirth % 100).padStart(2, '0');
  return `${province.idPrefix}${sexCenturyDigit(sex, yearOfBirth)}${yy}`;
}

export function formatPersonalId(prefix: string, serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999) {
    throw new RangeError(`serial ${serial} does not fit in six digits`);
  }
  return `${prefix}${String(serial).padStart(6, '0')}`;
}

/** Parses a personal ID number; returns undefined when its shape or province is invalid. */
export function parsePersonalId(id: string): PersonalIdParts | undefined {
  if (!/^\d{12}$/.test(id)) return undefined;
  const province = provinceByIdPrefix(id.slice(0, 3));
  const digit = Number(id[3]);
  if (!province || digit > 5) return undefined;
  const century = FIRST_CENTURY + Math.floor(digit / 2) * 100;
  return {
    provinceCode: province.code,
    sex: digit % 2 === 0 ? 'MALE' : 'FEMALE',
    yearOfBirth: century + Number(id.slice(4, 6)),
    serial: id.slice(6),
  };
}

/** Whether the ID's digits agree with the stated sex and date of birth (YYYY-MM-DD). */
export function personalIdAgrees(id: string, sex: Sex, dateOfBirth: string): boolean {
  const parts = parsePersonalId(id);
  return !!parts && parts.sex === sex && parts.yearOfBirth === Number(dateOfBirth.slice(0, 4));
}
