import { addDays, ageOn, nthBirthday } from '@lgsp/contracts';

/** A base salary (lương cơ sở) and the day it took effect. */
export interface BaseSalary {
  effectiveFrom: string;
  amountVnd: number;
}

/** The base salary in force on a day: the latest one that took effect on or before it. */
export function baseSalaryOn(table: BaseSalary[], day: string): BaseSalary | undefined {
  return table
    .filter((s) => s.effectiveFrom <= day)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
}

export const FUNERAL_ALLOWANCE_MULTIPLIER = 10;

/**
 * Who is entitled to the funeral allowance (trợ cấp mai táng): a pensioner, or a
 * participant with at least 12 months of contributions. The one place this rule lives.
 */
export function funeralEntitlement(p: {
  isPensioner: boolean;
  contributionMonths: number;
}): 'PENSIONER' | 'CONTRIBUTOR' | undefined {
  if (p.isPensioner) return 'PENSIONER';
  if (p.contributionMonths >= 12) return 'CONTRIBUTOR';
  return undefined;
}

/** The free card of a child under six (group TE): from birth to the day before the sixth birthday. */
export function childCardValidity(
  dateOfBirth: string,
  today: string,
): { validFrom: string; validTo: string } | undefined {
  if (ageOn(dateOfBirth, today) >= 6) return undefined;
  return { validFrom: dateOfBirth, validTo: addDays(nthBirthday(dateOfBirth, 6), -1) };
}
